/** JSON over node:http for the environment server: bodies in (size-capped), typed errors out as JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readBody } from '../http-body.js';
import { validationDetail } from './openenv.js';

/**
 * An error the client gets as `{error: {type, message}}` with this status. `detail` adds the
 * FastAPI-style list OpenEnv's clients expect of a 422 (`{"detail": [{type, loc, msg}]}`).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly detail?: unknown,
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
  sendJson(res, e.status, { error: { type: e.type, message: e.message }, ...(e.detail !== undefined ? { detail: e.detail } : {}) }, e.headers);
}

/** Past this, an oversized body is not even read to its end: the connection is cut. */
const DRAIN_MAX = 64 * 1024 * 1024;

/** The body as JSON, at most `limit` bytes (a larger one is read to its end, up to 64 MiB, and refused with 413). */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () => new HttpError(413, 'too_large', `the request body is over this server's limit of ${limit} bytes (--max-body-mb)`, { connection: 'close' });
  const text = (await readBody(req, limit, tooLarge, { drainUpTo: Math.max(DRAIN_MAX, limit) })).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const message = `the body is not JSON: ${(e as Error).message}`;
    throw new HttpError(400, 'invalid_json', message, {}, [{ type: 'json_invalid', loc: ['body'], msg: message }]);
  }
}

/** Validate a body; the message names each bad field. `status`: 400 (the native API) or 422 (OpenEnv's). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, status = 400): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new HttpError(status, 'invalid_request', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), {}, validationDetail(r.error.issues));
}
