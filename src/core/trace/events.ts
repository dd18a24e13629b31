/** events.jsonl: a trial's live event stream (the extension tails it). One JSON object a line. */
import { appendFileSync } from 'node:fs';

export type TrialEvent =
  | { type: 'trial_start'; task_id: string; attempt: number }
  | { type: 'phase'; phase: 'setup' | 'agent' | 'verify'; state: 'start' | 'end'; ms?: number }
  | { type: 'agent_output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'check'; id: string; score: number | null; message: string }
  | { type: 'rubric'; status: 'not_judged' | 'judged'; score: number | null; message: string }
  | { type: 'harness_retry'; error: string }
  | { type: 'trial_end'; reward: number; passed: boolean; error: string | null }
  // LLM agents (claw, replay): one model call per step, its tool calls and their results.
  | { type: 'step'; step: number; state: 'start' | 'end'; ms?: number }
  | { type: 'llm_retry'; step: number; attempt: number; status: number | null; message: string; delay_ms: number }
  | { type: 'llm_call'; step: number; ms: number; attempts: number; prompt_tokens: number | null; completion_tokens: number | null; cost_usd: number | null; finish_reason: string | null }
  | { type: 'assistant_text'; step: number; text: string }
  | { type: 'tool_call'; step: number; id: string; name: string; arguments: Record<string, unknown> | string }
  | { type: 'tool_result'; step: number; id: string; name: string; is_error: boolean; ms: number; text: string }
  | { type: 'snapshot'; step: number; commit: string; changed: string[] }
  | { type: 'replay_divergence'; step: number; id: string; name: string; expected: string; actual: string }
  | { type: 'agent_end'; reason: AgentEndReason; steps: number; message: string | null };

/** Why an LLM agent stopped. */
export type AgentEndReason = 'model_stopped' | 'max_steps' | 'max_tokens' | 'timeout' | 'interrupted' | 'error' | 'replay_done';

export class EventLog {
  constructor(private readonly path: string | null) {}
  emit(e: TrialEvent): void {
    if (!this.path) return;
    appendFileSync(this.path, `${JSON.stringify({ ts: new Date().toISOString(), ...e })}\n`);
  }
}
