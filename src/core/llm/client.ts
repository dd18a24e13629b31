/**
 * An OpenAI-compatible chat client on the `openai` SDK: our own retry policy (the SDK's is turned
 * off so each attempt is recorded), a per-endpoint concurrency limit, streaming and non-streaming,
 * token usage and cost, every attempt recorded with the key redacted.
 *
 * Reuse: `chat()` for a whole turn; `sdk` + `withRetries` + `CallRecorder` for pass-through uses.
 */
import { randomUUID } from 'node:crypto';
import OpenAI, { APIError } from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { LimitFunction } from 'p-limit';
import { errorMessage, LlmError } from '../errors.js';
import type { LlmSettings } from './config.js';
import { costOf } from './cost.js';
import { endpointLimiter } from './limiter.js';
import type { CallRecorder } from './recorder.js';
import { REDACTED, secretsOf } from './redact.js';
import { DEFAULT_RETRY, headersOf, retryAfterMs, withRetries, type RetryPolicy } from './retry.js';
import { ChunkAssembler, reasoningOf, usageOf, type AssembledStream } from './stream.js';
import type { ChatResult, LlmCallRecord, ModelToolCall } from './types.js';

export type { ChatCompletionMessageParam, ChatCompletionTool };

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  /** Default: the settings' model. */
  model?: string;
  /** Completion tokens for this call. */
  max_tokens?: number;
  temperature?: number;
  /** Other body fields passed through as they are (e.g. vLLM's extra parameters). */
  extra?: Record<string, unknown>;
}

export interface ChatOptions {
  stream?: boolean;
  signal?: AbortSignal;
  /** Streaming only: text as it arrives. */
  onDelta?: (d: { content?: string; reasoning?: string }) => void;
  /** Where attempts are recorded (a trial's llm/calls.jsonl); none: not recorded. */
  recorder?: CallRecorder;
  /** Hears about each attempt that will be retried. */
  onRetry?: (i: { attempt: number; status: number | null; message: string; delayMs: number }) => void;
}

export interface ClientDeps {
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /** Tests and benches: a custom fetch. */
  fetch?: typeof fetch;
}

interface Assembled extends Omit<AssembledStream, 'chunks' | 'message'> {
  status: number;
  body: unknown;
  chunks?: number;
}

export class LlmClient {
  readonly sdk: OpenAI;
  readonly settings: LlmSettings;
  readonly secrets: string[];
  private readonly limit: LimitFunction;
  private readonly retry: RetryPolicy;

  constructor(settings: LlmSettings, private readonly deps: ClientDeps = {}) {
    this.settings = settings;
    // Local servers (vLLM, Ollama) take no key, but the SDK insists on one.
    this.sdk = new OpenAI({ apiKey: settings.apiKey ?? 'no-key', baseURL: settings.baseUrl, maxRetries: 0, timeout: settings.timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    this.secrets = secretsOf([settings.apiKey]);
    this.limit = endpointLimiter(settings.baseUrl, settings.maxConcurrency);
    this.retry = { ...DEFAULT_RETRY, maxRetries: settings.maxRetries, ...deps.retry };
  }

  get model(): string {
    return this.settings.model;
  }

  /** The request as recorded: the key only ever appears masked. */
  requestRecord(body: unknown): LlmCallRecord['request'] {
    return { method: 'POST', url: `${this.settings.baseUrl}/chat/completions`, headers: { authorization: `Bearer ${REDACTED}`, 'content-type': 'application/json' }, body };
  }

  async chat(req: ChatRequest, opts: ChatOptions = {}): Promise<ChatResult> {
    const model = req.model ?? this.settings.model;
    const stream = opts.stream ?? false;
    const body: Record<string, unknown> = {
      model,
      messages: req.messages,
      ...(req.tools?.length ? { tools: req.tools } : {}),
      ...(req.max_tokens !== undefined ? { max_tokens: req.max_tokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...req.extra,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
    const callId = randomUUID();
    const started = performance.now();
    let attemptStart = started;
    const record = (attempt: number, r: Partial<LlmCallRecord>) =>
      opts.recorder?.record({
        ts: new Date().toISOString(),
        call_id: callId,
        attempt,
        endpoint: this.settings.baseUrl,
        model,
        stream,
        request: this.requestRecord(body),
        response: null,
        error: null,
        usage: null,
        cost_usd: null,
        latency_ms: performance.now() - attemptStart,
        ...r,
      });
    const failure = (e: unknown, retryIn: number | null) => ({ status: e instanceof APIError ? (e.status ?? null) : null, message: errorMessage(e), retry_in_ms: retryIn });
    let lastAttempt = 1;
    try {
      const { value: a, attempts } = await withRetries(
        async (attempt) => {
          lastAttempt = attempt;
          attemptStart = performance.now();
          return this.limit(() => (stream ? this.streamOnce(body, opts) : this.once(body, opts)));
        },
        this.retry,
        {
          signal: opts.signal,
          random: this.deps.random,
          onRetry: ({ attempt, error, delayMs }) => {
            const f = failure(error, delayMs);
            record(attempt, { error: f });
            opts.onRetry?.({ attempt, status: f.status, message: f.message, delayMs });
          },
        },
      );
      const cost = costOf(model, a.usage, this.settings.prices);
      record(attempts, { response: { status: a.status, body: a.body, ...(a.chunks !== undefined ? { chunks: a.chunks } : {}) }, usage: a.usage, cost_usd: cost });
      return { content: a.content, reasoning_content: a.reasoning, tool_calls: a.toolCalls, finish_reason: a.finish, model: a.model || model, usage: a.usage, cost_usd: cost, attempts, latency_ms: performance.now() - started };
    } catch (e) {
      record(lastAttempt, { error: failure(e, null) });
      if (opts.signal?.aborted) throw opts.signal.reason ?? e;
      const status = e instanceof APIError ? e.status : undefined;
      const server = retryAfterMs(headersOf(e));
      const why = server !== undefined && server > this.retry.maxRetryAfterMs ? ` (the server asked to wait ${Math.round(server / 1000)} s)` : '';
      throw new LlmError(`model call to ${this.settings.baseUrl} failed after ${lastAttempt} attempt(s): ${errorMessage(e)}${why}`, { status, attempts: lastAttempt, cause: e });
    }
  }

  private async once(body: Record<string, unknown>, opts: ChatOptions): Promise<Assembled> {
    const r = (await this.sdk.chat.completions.create(body as unknown as ChatCompletionCreateParams, { signal: opts.signal })) as ChatCompletion;
    const choice = r.choices?.[0];
    const msg = choice?.message;
    const toolCalls: ModelToolCall[] = [];
    for (const tc of msg?.tool_calls ?? []) {
      if (tc.type === 'function') toolCalls.push({ id: tc.id, name: tc.function.name, arguments: tc.function.arguments ?? '' });
    }
    return { content: msg?.content ?? null, reasoning: reasoningOf(msg) ?? null, toolCalls, finish: choice?.finish_reason ?? null, model: r.model, usage: usageOf(r.usage), status: 200, body: r };
  }

  private async streamOnce(body: Record<string, unknown>, opts: ChatOptions): Promise<Assembled> {
    const s = await this.sdk.chat.completions.create({ ...(body as unknown as ChatCompletionCreateParams), stream: true }, { signal: opts.signal });
    const asm = new ChunkAssembler();
    for await (const chunk of s as AsyncIterable<ChatCompletionChunk>) {
      const d = asm.add(chunk);
      if (d.content) opts.onDelta?.({ content: d.content });
      if (d.reasoning) opts.onDelta?.({ reasoning: d.reasoning });
    }
    const a = asm.result();
    return { content: a.content, reasoning: a.reasoning, toolCalls: a.toolCalls, finish: a.finish, model: a.model, usage: a.usage, status: 200, body: { model: a.model, finish_reason: a.finish, message: a.message, usage: a.usage }, chunks: a.chunks };
  }
}
