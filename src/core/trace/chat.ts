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

/**
 * OpenClaw's runtime context: each request carries a user message (the "carrier", last in the
 * list) holding `<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>` … `<<<END_OPENCLAW_INTERNAL_CONTEXT>>>`,
 * made anew for every request and never kept in the history. It is context of that one request,
 * not a turn: a trajectory keeps it out of its steps (the latest text goes to the trajectory's
 * `extra.request_context`), and SFT examples leave it out — otherwise the longest request puts a
 * user turn after the last tool result, which no chat format can alternate.
 */
export const REQUEST_CONTEXT_BEGIN = '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>';
export const REQUEST_CONTEXT_END = '<<<END_OPENCLAW_INTERNAL_CONTEXT>>>';

/**
 * Split a user message that opens with the context block into the block's text and what is left
 * (the user's own words after the block, if any); null when the message carries no such block.
 */
export function requestContextOf(m: ChatMessage): { context: string; rest: string } | null {
  if (m.role !== 'user') return null;
  const text = contentText(m.content).trimStart();
  if (!text.startsWith(REQUEST_CONTEXT_BEGIN)) return null;
  // The last END closes the block: blocks nest (OpenClaw prepends into an existing carrier).
  const end = text.lastIndexOf(REQUEST_CONTEXT_END);
  if (end < 0) return { context: text.slice(REQUEST_CONTEXT_BEGIN.length).trim(), rest: '' };
  return { context: text.slice(REQUEST_CONTEXT_BEGIN.length, end).trim(), rest: text.slice(end + REQUEST_CONTEXT_END.length).trim() };
}

/** A request's messages without its request-scoped context, and that context's texts. */
export function splitRequestContext(messages: readonly ChatMessage[]): { messages: ChatMessage[]; context: string[] } {
  const out: ChatMessage[] = [];
  const context: string[] = [];
  for (const m of messages) {
    const c = requestContextOf(m);
    if (!c) {
      out.push(m);
      continue;
    }
    context.push(c.context);
    if (c.rest) out.push({ ...m, content: c.rest });
  }
  return { messages: out, context };
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
