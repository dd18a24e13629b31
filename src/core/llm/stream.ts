/**
 * Streamed Chat Completions: the SSE framing (bytes → `data:` payloads) and the assembly of chunks
 * into one message. Shared by the client (SDK chunks) and the recording proxy (raw bytes it
 * passes through), so both record a stream the same way.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ModelToolCall, TokenUsage } from './types.js';

export function usageOf(u: ChatCompletionChunk['usage'] | null | undefined): TokenUsage | null {
  if (!u) return null;
  const cached = u.prompt_tokens_details?.cached_tokens ?? undefined;
  return { prompt_tokens: u.prompt_tokens ?? 0, completion_tokens: u.completion_tokens ?? 0, total_tokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0), ...(cached !== undefined ? { cached_tokens: cached } : {}) };
}

/** Servers put chain-of-thought under different names (vLLM, DeepSeek: reasoning_content; others: reasoning). */
export function reasoningOf(o: unknown): string | undefined {
  const r = o as { reasoning_content?: unknown; reasoning?: unknown } | undefined;
  const v = r?.reasoning_content ?? r?.reasoning;
  return typeof v === 'string' ? v : undefined;
}

export interface AssembledStream {
  content: string | null;
  reasoning: string | null;
  toolCalls: ModelToolCall[];
  finish: string | null;
  model: string;
  usage: TokenUsage | null;
  chunks: number;
  /** The message the chunks built, in the shape of a non-streamed response's message. */
  message: { role: 'assistant'; content: string | null; reasoning_content?: string; tool_calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> };
}

export class ChunkAssembler {
  private content = '';
  private reasoning = '';
  private sawContent = false;
  private finish: string | null = null;
  private model = '';
  private usage: TokenUsage | null = null;
  private chunks = 0;
  // Tool calls arrive as fragments keyed by index: the first carries id and name, later ones more arguments.
  private readonly calls = new Map<number, ModelToolCall>();

  /** Adds a chunk; returns its text deltas (for live display). */
  add(chunk: ChatCompletionChunk): { content?: string; reasoning?: string } {
    this.chunks++;
    this.model ||= chunk.model ?? '';
    if (chunk.usage) this.usage = usageOf(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) return {};
    const d = choice.delta;
    const out: { content?: string; reasoning?: string } = {};
    if (d?.content) {
      this.content += d.content;
      this.sawContent = true;
      out.content = d.content;
    }
    const r = reasoningOf(d);
    if (r) {
      this.reasoning += r;
      out.reasoning = r;
    }
    for (const tc of d?.tool_calls ?? []) {
      const cur = this.calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
      if (tc.id) cur.id = tc.id;
      if (tc.function?.name) cur.name += tc.function.name;
      if (tc.function?.arguments) cur.arguments += tc.function.arguments;
      this.calls.set(tc.index, cur);
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
    return out;
  }

  /** A choice has said why it stopped: the message is whole (a usage chunk may still follow). */
  get finished(): boolean {
    return this.finish !== null;
  }

  result(): AssembledStream {
    const toolCalls = [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }));
    const content = this.sawContent ? this.content : null;
    return {
      content,
      reasoning: this.reasoning || null,
      toolCalls,
      finish: this.finish,
      model: this.model,
      usage: this.usage,
      chunks: this.chunks,
      message: {
        role: 'assistant',
        content,
        ...(this.reasoning ? { reasoning_content: this.reasoning } : {}),
        tool_calls: toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
      },
    };
  }
}

/**
 * Server-sent events framing: feed raw bytes as they arrive, get each event's `data` payload.
 * Events end at a blank line; multi-line data is joined with "\n" (the SSE spec).
 */
export class SseParser {
  private buf = '';
  private readonly decoder = new TextDecoder();

  push(bytes: Uint8Array): string[] {
    this.buf += this.decoder.decode(bytes, { stream: true });
    return this.drain(false);
  }

  end(): string[] {
    this.buf += this.decoder.decode();
    return this.drain(true);
  }

  private drain(final: boolean): string[] {
    const out: string[] = [];
    // A trailing "\r" may be the first half of a "\r\n" still on its way: keep it raw.
    const hold = !final && this.buf.endsWith('\r') ? '\r' : '';
    const events = (hold ? this.buf.slice(0, -1) : this.buf).replace(/\r\n?/g, '\n').split('\n\n');
    this.buf = final ? '' : events.pop()! + hold;
    for (const ev of events) {
      const data = ev
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''));
      if (data.length) out.push(data.join('\n'));
    }
    return out;
  }
}
