/** What a model call returns and what each recorded call looks like (`llm/calls.jsonl`). */
import { z } from 'zod';

export const TokenUsage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const ModelToolCall = z.object({
  id: z.string(),
  name: z.string(),
  /** Raw JSON text, as the model wrote it (it may not parse). */
  arguments: z.string(),
});
export type ModelToolCall = z.infer<typeof ModelToolCall>;

export const ChatResult = z.object({
  content: z.string().nullable(),
  reasoning_content: z.string().nullable(),
  tool_calls: z.array(ModelToolCall),
  finish_reason: z.string().nullable(),
  model: z.string(),
  usage: TokenUsage.nullable(),
  cost_usd: z.number().nullable(),
  /** Attempts made (1 = no retry). */
  attempts: z.number().int().positive(),
  latency_ms: z.number(),
});
export type ChatResult = z.infer<typeof ChatResult>;

export const LlmCallRecord = z.object({
  ts: z.string(),
  call_id: z.string(),
  attempt: z.number().int().positive(),
  endpoint: z.string(),
  model: z.string(),
  stream: z.boolean(),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.unknown() }),
  /** The assembled response (for streams: the message the chunks built), or null on error. */
  response: z.object({ status: z.number().nullable(), body: z.unknown(), chunks: z.number().optional() }).nullable(),
  error: z.object({ status: z.number().nullable(), message: z.string(), retry_in_ms: z.number().nullable() }).nullable(),
  usage: TokenUsage.nullable(),
  cost_usd: z.number().nullable(),
  latency_ms: z.number(),
});
export type LlmCallRecord = z.infer<typeof LlmCallRecord>;
