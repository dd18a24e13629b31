/**
 * Ask a model for one strict JSON object and validate it with zod. An answer that is not JSON or
 * not of the schema gets one repair turn saying exactly what was wrong; a second bad answer is the
 * draft's failure (`ok: false`), never guessed at. Model errors after the client's retries are
 * thrown: an unreachable endpoint stops the pipeline (resumable) instead of dropping drafts.
 */
import type { z } from 'zod';
import type { ChatCompletionMessageParam, LlmClient } from '../../llm/client.js';
import type { CallRecorder } from '../../llm/recorder.js';

export type JsonAnswer<T> = { ok: true; value: T; messages: ChatCompletionMessageParam[] } | { ok: false; error: string; messages: ChatCompletionMessageParam[] };

/** The JSON object in an answer: the whole text, else inside a code fence, else from the first { to the last }. */
export function extractJson(text: string): unknown {
  const t = text.trim();
  const tries = [t, /```(?:json)?\s*([\s\S]*?)```/.exec(t)?.[1], t.includes('{') ? t.slice(t.indexOf('{'), t.lastIndexOf('}') + 1) : undefined];
  let last: unknown;
  for (const c of tries) {
    if (!c) continue;
    try {
      return JSON.parse(c);
    } catch (e) {
      last = e;
    }
  }
  throw new SyntaxError(`not a JSON object (${last instanceof Error ? last.message : 'no JSON found'})`);
}

function problemsOf(schema: z.ZodType, raw: unknown): string | undefined {
  const r = schema.safeParse(raw);
  if (r.success) return undefined;
  return r.error.issues
    .slice(0, 12)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export interface AskOptions {
  recorder?: CallRecorder;
  signal?: AbortSignal;
  /** Counts model calls (funnel and tests). */
  onCall?: () => void;
  temperature?: number;
  maxTokens?: number;
}

export async function askJson<S extends z.ZodType>(client: LlmClient, schema: S, messages: ChatCompletionMessageParam[], o: AskOptions = {}): Promise<JsonAnswer<z.infer<S>>> {
  const convo = [...messages];
  let error = '';
  for (let turn = 0; turn < 2; turn++) {
    o.onCall?.();
    const r = await client.chat({ messages: convo, temperature: o.temperature ?? 0.7, ...(o.maxTokens ? { max_tokens: o.maxTokens } : {}) }, { recorder: o.recorder, signal: o.signal });
    const text = r.content ?? '';
    convo.push({ role: 'assistant', content: text });
    let raw: unknown;
    try {
      raw = extractJson(text);
    } catch (e) {
      error = (e as Error).message;
      convo.push({ role: 'user', content: `Your answer was not valid JSON: ${error}. Answer again with only the JSON object, nothing else.` });
      continue;
    }
    const problems = problemsOf(schema, raw);
    if (!problems) return { ok: true, value: schema.parse(raw) as z.infer<S>, messages: convo };
    error = `does not match the required form: ${problems}`;
    convo.push({ role: 'user', content: `Your JSON ${error}. Fix these problems and answer again with only the corrected JSON object.` });
  }
  return { ok: false, error, messages: convo };
}
