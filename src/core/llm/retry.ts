/**
 * Retries for model calls: exponential backoff with full jitter on 429, 408, 5xx, timeouts and
 * dropped connections; a server's Retry-After (or retry-after-ms) is a floor, never ignored.
 */
import { APIError, APIConnectionError, APIUserAbortError } from 'openai';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After we accept; beyond it the call fails instead of stalling the trial. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
}

export function isRetryable(e: unknown): boolean {
  if (e instanceof APIUserAbortError) return false;
  if (e instanceof APIConnectionError) return true; // includes timeouts
  if (e instanceof APIError) return isRetryableStatus(e.status);
  return false;
}

/** Milliseconds a server asked us to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const v = headers.get('retry-after');
  if (v === null) return undefined;
  const secs = Number(v);
  if (v.trim() !== '' && Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Delay before retry number `retry` (0-based): full jitter, at least what the server asked. */
export function backoffDelay(retry: number, policy: RetryPolicy, serverMs?: number, random: () => number = Math.random): number {
  const jittered = random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return serverMs === undefined ? jittered : Math.max(serverMs, jittered);
}

export function headersOf(e: unknown): Headers | undefined {
  return e instanceof APIError && e.headers instanceof Headers ? e.headers : undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface AttemptInfo {
  attempt: number;
  error: unknown;
  delayMs: number;
}

/**
 * Run `fn` until it succeeds, fails for good, or retries run out. `onRetry` hears about every
 * failed attempt that will be retried (for recording and events). Reusable by the proxy and judge.
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  opts: { signal?: AbortSignal; onRetry?: (i: AttemptInfo) => void; random?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (e) {
      if (attempt > policy.maxRetries || !isRetryable(e) || opts.signal?.aborted) throw e;
      const server = retryAfterMs(headersOf(e));
      if (server !== undefined && server > policy.maxRetryAfterMs) throw e;
      const delayMs = backoffDelay(attempt - 1, policy, server, opts.random);
      opts.onRetry?.({ attempt, error: e, delayMs });
      await (opts.sleep ?? sleep)(delayMs, opts.signal);
    }
  }
}
