/** Reading an HTTP request body with a size limit (the recording proxy and the env server share it). */
import type { IncomingMessage } from 'node:http';

/**
 * The body, at most `max` bytes: past that the promise rejects with `tooLarge()` and the request
 * is dropped — or, with `drainUpTo`, read to its end (and discarded) first, so a client still
 * sending gets the error answer rather than a reset connection; past `drainUpTo` it is dropped.
 */
export function readBody(req: IncomingMessage, max: number, tooLarge: () => Error, o: { drainUpTo?: number } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) parts.push(c);
      else if (size > (o.drainUpTo ?? max)) {
        reject(tooLarge());
        req.destroy();
      }
    });
    req.on('end', () => (size > max ? reject(tooLarge()) : resolve(Buffer.concat(parts))));
    req.on('error', reject);
  });
}
