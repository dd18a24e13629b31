/**
 * A trajectory's conversation made fit for training, whatever the output format: tool calls with
 * their arguments as objects, every tool result answering one open call of the turn before it.
 * What cannot be trained on is refused with a reason (the example is skipped, never patched up):
 * a call whose arguments are not a JSON object, a result that answers no call, a call left without
 * a result before the conversation moves on. Calls still open at the very end (the run was cut
 * short) are dropped from the last turn: there is nothing to show for them.
 */
import { createHash } from 'node:crypto';
import type { AtifTrajectory } from '../trace/atif.js';
import { atifToChat, contentText, parseArguments, requestContextOf } from '../trace/chat.js';

export interface ConvCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type ConvMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; reasoning: string | null; calls: ConvCall[] }
  | { role: 'tool'; call_id: string; name: string; content: string };

export type Prepared = { ok: true; messages: ConvMessage[] } | { ok: false; reason: string };

export function prepareConversation(t: AtifTrajectory): Prepared {
  const out: ConvMessage[] = [];
  const seen = new Set<string>();
  let open = new Map<string, string>(); // call id → tool name, of the latest assistant turn
  const refuse = (reason: string): Prepared => ({ ok: false, reason });
  for (const m of atifToChat(t)) {
    const content = contentText(m.content);
    if (m.role === 'tool') {
      const id = m.tool_call_id;
      if (!id || !open.has(id)) return refuse(`a tool result${id ? ` for ${id}` : ''} answers no open tool call`);
      out.push({ role: 'tool', call_id: id, name: open.get(id)!, content });
      open.delete(id);
      continue;
    }
    // Request-scoped context recorded as a user turn (recordings made before it was kept out of
    // trajectories) is no turn either: left out, or only the user's own words after it kept.
    const context = requestContextOf(m);
    if (context && !context.rest) continue;
    if (open.size) return refuse(`tool call(s) ${[...open.keys()].join(', ')} got no result before the conversation went on`);
    if (m.role === 'system' || m.role === 'user') {
      out.push(m.role === 'system' ? { role: 'system', content } : { role: 'user', content: context ? context.rest : content });
      continue;
    }
    if (m.role !== 'assistant') return refuse(`a message of role "${m.role}"`);
    const calls: ConvCall[] = [];
    for (const c of m.tool_calls ?? []) {
      const id = c.id ?? '';
      if (!id || seen.has(id)) return refuse(`tool call id "${id}" is ${id ? 'used twice' : 'missing'}`);
      seen.add(id);
      const { args, raw } = parseArguments(c.function.arguments);
      if (raw !== undefined) return refuse(`the arguments of a ${c.function.name} call are not a JSON object`);
      calls.push({ id, name: c.function.name, arguments: args });
    }
    open = new Map(calls.map((c) => [c.id, c.name]));
    const reasoning = typeof m.reasoning_content === 'string' && m.reasoning_content ? m.reasoning_content : null;
    out.push({ role: 'assistant', content, reasoning, calls });
  }
  if (open.size) {
    const last = out.findLastIndex((m) => m.role === 'assistant');
    const turn = out[last] as Extract<ConvMessage, { role: 'assistant' }>;
    turn.calls = turn.calls.filter((c) => !open.has(c.id));
  }
  const messages = out.filter((m) => m.role !== 'assistant' || m.content || m.calls.length || m.reasoning);
  if (!messages.some((m) => m.role === 'user')) return refuse('no user message');
  if (!messages.some((m) => m.role === 'assistant')) return refuse('no assistant message');
  return { ok: true, messages };
}

/** Counts for the stats: model turns and calls per tool. */
export function conversationCounts(messages: readonly ConvMessage[]): { turns: number; calls: Record<string, number> } {
  let turns = 0;
  const calls: Record<string, number> = {};
  for (const m of messages) {
    if (m.role !== 'assistant') continue;
    turns++;
    for (const c of m.calls) calls[c.name] = (calls[c.name] ?? 0) + 1;
  }
  return { turns, calls };
}

/**
 * The identity of a conversation for --dedupe: its messages with tool call ids replaced by their
 * order (ids are random per run, so two identical rollouts would otherwise never match).
 */
export function conversationKey(messages: readonly ConvMessage[]): string {
  const ids = new Map<string, number>();
  const norm = messages.map((m) => {
    if (m.role === 'assistant') return { ...m, calls: m.calls.map((c) => ({ ...c, id: ids.set(c.id, ids.size).get(c.id) })) };
    if (m.role === 'tool') return { ...m, call_id: ids.get(m.call_id) };
    return m;
  });
  return createHash('sha256').update(JSON.stringify(norm)).digest('hex');
}
