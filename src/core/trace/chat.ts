/**
 * Chat Completions messages ↔ ATIF trajectories. A conversation seen only at the model level (the
 * recording proxy) carries everything a trajectory needs: system and user turns, assistant turns
 * with their tool calls, and tool results that answer them; and a trajectory reads back as the
 * conversation its model saw (the SFT export).
 */
import { z } from 'zod';
import type { AtifMetrics, AtifStep, AtifTrajectory } from './atif.js';
import { TrajectoryBuilder } from './builder.js';

const ToolCall = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string().default(''), arguments: z.unknown().optional() }),
});

/** Loose on purpose: requests come from any client, and an odd field must not lose the recording. */
export const ChatMessage = z.looseObject({
  role: z.string(),
  content: z.unknown().optional(),
  name: z.string().optional(),
  tool_calls: z.array(ToolCall).nullable().optional(),
  tool_call_id: z.string().optional(),
  reasoning_content: z.string().nullable().optional(),
  reasoning: z.string().nullable().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** Message content as text: a string, or the text parts of a parts array (others named). */
export function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return c == null ? '' : JSON.stringify(c);
  return c
    .map((p) => {
      const part = p as { type?: string; text?: unknown; refusal?: unknown };
      if (typeof part?.text === 'string') return part.text;
      if (typeof part?.refusal === 'string') return part.refusal;
      return `[${part?.type ?? 'part'}]`;
    })
    .join('\n');
}

/** Tool call arguments as an object; `raw` is set when they were not a JSON object (kept as text). */
export function parseArguments(a: unknown): { args: Record<string, unknown>; raw?: string } {
  if (a && typeof a === 'object' && !Array.isArray(a)) return { args: a as Record<string, unknown> };
  const text = typeof a === 'string' ? a : a === undefined ? '' : JSON.stringify(a);
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return { args: v };
  } catch {
    /* kept raw below */
  }
  return { args: {}, raw: text };
}

export interface AssistantTurnInfo {
  metrics?: AtifMetrics;
  model_name?: string;
  extra?: Record<string, unknown>;
}

export interface ChatToAtifInput {
  sessionId: string;
  agent: { name: string; version: string; model_name?: string };
  messages: readonly ChatMessage[];
  /** What is known of an assistant turn (its call's usage, model…), keyed by its index in `messages`. */
  turns?: ReadonlyMap<number, AssistantTurnInfo>;
  extra?: Record<string, unknown>;
}

export function chatToAtif(i: ChatToAtifInput): AtifTrajectory {
  const b = new TrajectoryBuilder(i.sessionId, i.agent);
  let seen = 0;
  // A tool result answers the latest agent step that made that call.
  const stepOfCall = new Map<string, AtifStep>();
  let lastAgent: AtifStep | null = null;
  for (const [index, m] of i.messages.entries()) {
    const text = contentText(m.content);
    switch (m.role) {
      case 'system':
      case 'developer':
        b.system(text);
        break;
      case 'user':
        b.user(text);
        break;
      case 'assistant': {
        const info = i.turns?.get(index);
        seen++;
        const calls = (m.tool_calls ?? []).map((c, n) => {
          const { args, raw } = parseArguments(c.function.arguments);
          return { tool_call_id: c.id || `call_${seen}_${n}`, function_name: c.function.name, arguments: args, ...(raw !== undefined ? { extra: { raw_arguments: raw } } : {}) };
        });
        const step = b.agentStep({
          message: text,
          reasoning_content: m.reasoning_content ?? m.reasoning ?? null,
          model_name: info?.model_name,
          tool_calls: calls,
          metrics: info?.metrics,
          extra: info?.extra,
        });
        for (const c of calls) stepOfCall.set(c.tool_call_id, step);
        lastAgent = step;
        break;
      }
      case 'tool':
      case 'function': {
        const id = m.tool_call_id ?? null;
        const step = (id && stepOfCall.get(id)) || lastAgent;
        if (!step) {
          b.system(`tool result${id ? ` ${id}` : ''}: ${text}`);
          break;
        }
        const matched = id !== null && stepOfCall.get(id) === step;
        b.observe(step, { source_call_id: matched ? id : null, content: text, ...(!matched && id ? { extra: { tool_call_id: id } } : {}) });
        break;
      }
      default:
        // Unknown roles are kept as system text rather than dropped.
        b.system(`${m.role}: ${text}`);
    }
  }
  if (i.extra) b.extra = { ...i.extra };
  return b.build();
}

/**
 * A trajectory as the Chat Completions conversation its model saw: system and user steps as
 * messages, each agent step as an assistant message (tool call arguments as JSON text, the raw
 * text when the model's did not parse) followed by one tool message per observation result.
 */
export function atifToChat(t: AtifTrajectory): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const s of t.steps) {
    if (s.source !== 'agent') {
      out.push({ role: s.source, content: s.message });
      continue;
    }
    const calls = (s.tool_calls ?? []).map((c) => ({
      id: c.tool_call_id,
      type: 'function',
      function: { name: c.function_name, arguments: typeof c.extra?.raw_arguments === 'string' ? c.extra.raw_arguments : JSON.stringify(c.arguments) },
    }));
    out.push({ role: 'assistant', content: s.message, ...(calls.length ? { tool_calls: calls } : {}), ...(s.reasoning_content ? { reasoning_content: s.reasoning_content } : {}) });
    for (const r of s.observation?.results ?? []) {
      // An unmatched result keeps the id the client sent (chatToAtif stores it in extra).
      const id = r.source_call_id ?? (typeof r.extra?.tool_call_id === 'string' ? r.extra.tool_call_id : undefined);
      out.push({ role: 'tool', content: r.content ?? '', ...(id ? { tool_call_id: id } : {}) });
    }
  }
  return out;
}
