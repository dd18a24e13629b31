/** Reading an HTTP request body with a size limit (the recording proxy and the env server share it). */
import type { IncomingMessage } from 'node:http';

/** The body, at most `max` bytes: past that the request is dropped and the promise rejects with `tooLarge()`. */
export function readBody(req: IncomingMessage, max: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(tooLarge());
        req.destroy();
      } else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
