/** JSON over node:http for the environment server: bodies in, typed errors out as JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readBody } from '../http-body.js';

const MAX_BODY = 32 * 1024 * 1024;

/** An error the client gets as `{error: {type, message}}` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}

export function sendError(res: ServerResponse, e: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.status, { error: { type: e.type, message: e.message } }, e.headers);
}

export function readJson(req: IncomingMessage): Promise<unknown> {
  return readBody(req, MAX_BODY, () => new HttpError(413, 'too_large', `request body over ${MAX_BODY} bytes`)).then((buf) => {
    const text = buf.toString('utf8');
    if (!text.trim()) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new HttpError(400, 'invalid_json', `the body is not JSON: ${(e as Error).message}`);
    }
  });
}

/** Validate a body; the message names each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new HttpError(400, 'invalid_request', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}
