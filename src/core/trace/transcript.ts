/**
 * OpenClaw's session transcript shape (JSONL): a session header, then message entries
 * `{type:"message", message:{role: user|assistant|toolResult, content:[{type:"text",text} |
 * {type:"toolCall", name, arguments}]}}`. PinchBench's grade() and the transcript checks read it.
 */
import { randomUUID } from 'node:crypto';

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
