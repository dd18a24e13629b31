/**
 * events.jsonl: a trial's live event stream, one JSON object a line (the extension tails it while
 * the trial runs). This zod schema is the only definition of it: the writer's types and every
 * reader's validation (the extension's Runs view and trajectory debugger) come from here.
 */
import { appendFileSync } from 'node:fs';
import { z } from 'zod';

/** Why an LLM agent stopped. */
export const AgentEndReason = z.enum(['model_stopped', 'max_steps', 'max_tokens', 'timeout', 'interrupted', 'error', 'replay_done']);
export type AgentEndReason = z.infer<typeof AgentEndReason>;

const step = z.number().int();

export const TrialEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('trial_start'), task_id: z.string(), attempt: z.number().int() }),
  z.object({ type: z.literal('phase'), phase: z.enum(['setup', 'agent', 'verify']), state: z.enum(['start', 'end']), ms: z.number().optional() }),
  z.object({ type: z.literal('agent_output'), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  z.object({ type: z.literal('check'), id: z.string(), score: z.number().nullable(), message: z.string() }),
  z.object({ type: z.literal('rubric'), status: z.enum(['not_judged', 'judged']), score: z.number().nullable(), message: z.string() }),
  z.object({ type: z.literal('harness_retry'), error: z.string() }),
  z.object({ type: z.literal('trial_end'), reward: z.number(), passed: z.boolean(), error: z.string().nullable() }),
  // LLM agents (claw, replay): one model call per step, its tool calls and their results.
  z.object({ type: z.literal('step'), step, state: z.enum(['start', 'end']), ms: z.number().optional() }),
  z.object({ type: z.literal('llm_retry'), step, attempt: z.number().int(), status: z.number().nullable(), message: z.string(), delay_ms: z.number() }),
  z.object({
    type: z.literal('llm_call'),
    step,
    ms: z.number(),
    attempts: z.number().int(),
    prompt_tokens: z.number().nullable(),
    completion_tokens: z.number().nullable(),
    cost_usd: z.number().nullable(),
    finish_reason: z.string().nullable(),
  }),
  z.object({ type: z.literal('assistant_text'), step, text: z.string() }),
  z.object({ type: z.literal('tool_call'), step, id: z.string(), name: z.string(), arguments: z.union([z.record(z.string(), z.unknown()), z.string()]) }),
  z.object({ type: z.literal('tool_result'), step, id: z.string(), name: z.string(), is_error: z.boolean(), ms: z.number(), text: z.string() }),
  z.object({ type: z.literal('snapshot'), step, commit: z.string(), changed: z.array(z.string()) }),
  z.object({ type: z.literal('replay_divergence'), step, id: z.string(), name: z.string(), expected: z.string(), actual: z.string() }),
  z.object({ type: z.literal('agent_end'), reason: AgentEndReason, steps: z.number().int(), message: z.string().nullable() }),
]);
export type TrialEvent = z.infer<typeof TrialEvent>;

/** A line of events.jsonl: the event and when it was written. */
export type EventLine = TrialEvent & { ts: string };

/** One line of events.jsonl, or null when it is not an event (a torn last line, a newer writer's type). */
export function parseEventLine(line: string): EventLine | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  const p = TrialEvent.safeParse(raw);
  if (!p.success) return null;
  const ts = (raw as { ts?: unknown }).ts;
  return { ...p.data, ts: typeof ts === 'string' ? ts : '' };
}

export class EventLog {
  constructor(private readonly path: string | null) {}
  emit(e: TrialEvent): void {
    if (!this.path) return;
    appendFileSync(this.path, `${JSON.stringify({ ts: new Date().toISOString(), ...e })}\n`);
  }
}
