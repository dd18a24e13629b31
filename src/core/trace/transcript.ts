/**
 * OpenClaw's session transcript shape (JSONL): a session header, then message entries
 * `{type:"message", message:{role: user|assistant|toolResult, content:[{type:"text",text} |
 * {type:"toolCall", name, arguments}]}}`. PinchBench's grade() and the transcript checks read it.
 */
import { randomUUID } from 'node:crypto';
import type { AtifTrajectory } from './atif.js';

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'toolCall'; id?: string; name: string; arguments: Record<string, unknown> };

export interface TranscriptEntry {
  type: string;
  id?: string;
  parentId?: string | null;
  timestamp?: string;
  message?: { role: 'user' | 'assistant' | 'toolResult'; content: ContentPart[]; toolCallId?: string; toolName?: string };
  [k: string]: unknown;
}

export class TranscriptWriter {
  readonly entries: TranscriptEntry[] = [];
  private last: string | null = null;

  constructor(cwd: string) {
    this.entries.push({ type: 'session', version: 3, id: randomUUID(), timestamp: new Date().toISOString(), cwd });
  }

  add(role: 'user' | 'assistant' | 'toolResult', content: ContentPart[], extra: Record<string, unknown> = {}): void {
    const id = randomUUID().slice(0, 8);
    this.entries.push({ type: 'message', id, parentId: this.last, timestamp: new Date().toISOString(), message: { role, content, ...extra } });
    this.last = id;
  }

  toJsonl(): string {
    return this.entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
  }
}

/**
 * A recorded trajectory's turns as transcript entries — every assistant turn with its text and
 * tool calls, every tool result (with its call's id and tool name), later user turns — so a black
 * box's transcript shows its tool use as the claw agent's does. The system prompt and the user
 * turns before the first agent turn are left out: the trial has already written the instruction.
 * Returns how many assistant entries were added.
 */
export function addTrajectoryTurns(w: TranscriptWriter, t: AtifTrajectory): number {
  let assistant = 0;
  for (const s of t.steps) {
    if (s.source === 'system') continue;
    if (s.source === 'user') {
      if (assistant) w.add('user', [{ type: 'text', text: s.message }]);
      continue;
    }
    const content: ContentPart[] = [];
    if (s.message) content.push({ type: 'text', text: s.message });
    const names = new Map<string, string>();
    for (const c of s.tool_calls ?? []) {
      names.set(c.tool_call_id, c.function_name);
      content.push({ type: 'toolCall', id: c.tool_call_id, name: c.function_name, arguments: c.arguments });
    }
    const m = s.metrics;
    w.add('assistant', content, { ...(m ? { usage: { input: m.prompt_tokens ?? 0, output: m.completion_tokens ?? 0 } } : {}), stopReason: s.tool_calls?.length ? 'tool_calls' : 'stop' });
    assistant++;
    for (const r of s.observation?.results ?? []) {
      const id = r.source_call_id ?? undefined;
      w.add('toolResult', [{ type: 'text', text: r.content ?? '' }], { ...(id ? { toolCallId: id } : {}), ...(id && names.has(id) ? { toolName: names.get(id) } : {}) });
    }
  }
  return assistant;
}

export function parseTranscript(jsonl: string): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as TranscriptEntry);
    } catch {
      /* a torn last line of a live transcript: ignore */
    }
  }
  return out;
}

export function toolCalls(entries: readonly TranscriptEntry[]): Array<{ name: string; arguments: Record<string, unknown> }> {
  const calls: Array<{ name: string; arguments: Record<string, unknown> }> = [];
  for (const e of entries) {
    if (e.type !== 'message' || e.message?.role !== 'assistant') continue;
    for (const c of e.message.content) if (c.type === 'toolCall') calls.push({ name: c.name, arguments: c.arguments });
  }
  return calls;
}

export function assistantTurns(entries: readonly TranscriptEntry[]): number {
  return entries.filter((e) => e.type === 'message' && e.message?.role === 'assistant').length;
}
