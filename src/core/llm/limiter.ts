/** One concurrency limit per endpoint (base URL), shared by every client of this process. */
import pLimit, { type LimitFunction } from 'p-limit';

const limits = new Map<string, LimitFunction>();

export function endpointLimiter(baseUrl: string, concurrency: number): LimitFunction {
  let l = limits.get(baseUrl);
  if (!l) {
    l = pLimit(concurrency);
    limits.set(baseUrl, l);
  } else if (l.concurrency !== concurrency) l.concurrency = concurrency; // the latest setting wins
  return l;
}
