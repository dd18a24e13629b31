/**
 * The recording proxy: an OpenAI-compatible pass-through (node:http) between a black-box agent and
 * its model. `/v1/chat/completions` is forwarded (a stream chunk by chunk, as it arrives) and each
 * call recorded into its session; `/v1/models` passes through. A session is named, first match
 * wins, by the `x-clawgym-session` header, a `/s/<session>` path prefix (a base URL carries it, so
 * any client works), or a `model@session` suffix (stripped before forwarding).
 * `POST /sessions/<id>/end` (or closing the proxy) turns a session into trajectory.json.
 *
 * The proxy does not retry: the agent's own client does, and retrying here would multiply them.
 */
import { randomUUID } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { LimitFunction } from 'p-limit';
import { errorMessage, UsageError } from '../../errors.js';
import { readBody } from '../../http-body.js';
import type { ModelPrice } from '../config.js';
import { costOf } from '../cost.js';
import { endpointLimiter } from '../limiter.js';
import { redactHeaders, secretsOf } from '../redact.js';
import { ChunkAssembler, SseParser, usageOf } from '../stream.js';
import type { LlmCallRecord, TokenUsage } from '../types.js';
import type { AtifMetrics } from '../../trace/atif.js';
import { ChatMessage } from '../../trace/chat.js';
import { SESSION_ID, SessionStore, type ProxySession, type SessionPaths } from './sessions.js';

export const SESSION_HEADER = 'x-clawgym-session';
export const DEFAULT_SESSION = 'default';
const MAX_BODY = 64 * 1024 * 1024;
/** How long a stream whose client hung up after finish_reason is still read for its usage chunk. */
const DRAIN_MS = 30_000;

export interface ProxyOptions {
  /** The upstream base URL, e.g. https://api.openai.com/v1. */
  upstream: string;
  /** Sent upstream when the client sends no Authorization (or always, with forceKey). */
  apiKey?: string;
  /** Replace whatever key the client sends: an agent in a sandbox never holds the real key. */
  forceKey?: boolean;
  /** Where sessions nobody opened are recorded; null: such requests are refused. */
  out: string | null;
  maxConcurrency?: number;
  prices?: Record<string, ModelPrice>;
  /** Kept in every trajectory's `extra`. */
  extra?: Record<string, unknown>;
  fetch?: typeof fetch;
}

// Hop-by-hop and framing headers are the proxy's own business on each side.
const DROP_REQUEST = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'accept-encoding', 'upgrade', 'proxy-authorization', 'te', 'trailer', SESSION_HEADER]);
const KEY_HEADERS = new Set(['authorization', 'api-key', 'x-api-key']);
const DROP_RESPONSE = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);

class ProxyRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'clawgym_proxy_error' } }));
}

const readRequest = (req: IncomingMessage): Promise<Buffer> => readBody(req, MAX_BODY, () => new ProxyRequestError(413, `request body over ${MAX_BODY} bytes`));

function bearer(h: string | undefined): string | undefined {
  const m = h?.match(/^Bearer\s+(.+)$/i);
  return m ? m[1]!.trim() : h;
}

function metricsOf(u: TokenUsage | null, cost: number | null): AtifMetrics | undefined {
  if (!u) return undefined;
  return { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, ...(u.cached_tokens !== undefined ? { cached_tokens: u.cached_tokens } : {}), ...(cost !== null ? { cost_usd: cost } : {}) };
}

export class RecordingProxy {
  readonly sessions: SessionStore;
  private readonly servers: Server[] = [];
  private readonly sockets: string[] = [];
  private readonly limit: LimitFunction;
  private readonly upstream: string;
  private readonly fetch: typeof fetch;
  private closed = false;

  constructor(private readonly o: ProxyOptions) {
    let u: URL;
    try {
      u = new URL(o.upstream);
    } catch {
      throw new UsageError(`--upstream ${JSON.stringify(o.upstream)} is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--upstream must be an http(s) URL, not ${u.protocol}`);
    this.upstream = o.upstream.replace(/\/+$/, '');
    this.fetch = o.fetch ?? fetch;
    this.limit = endpointLimiter(this.upstream, o.maxConcurrency ?? 8);
    this.sessions = new SessionStore({ out: o.out, secrets: secretsOf([o.apiKey]), extra: { recorded_by: 'clawgym proxy', upstream: this.upstream, ...o.extra } });
  }

  /** Listen on TCP; returns the base URL clients use (…/v1). */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = this.server();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const a = server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/v1`;
  }

  /** Listen on a unix socket too (bound into a sandbox that has no network); anyone may connect. */
  async listenUnix(path: string): Promise<void> {
    const server = this.server();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    this.sockets.push(path);
    await chmod(path, 0o666);
  }

  openSession(id: string, paths: SessionPaths): ProxySession {
    return this.sessions.open(id, paths);
  }

  endSession(id: string): { trajectory: string | null; calls: number } | null {
    return this.sessions.end(id);
  }

  /** Stop listening and end every open session (each writes its trajectory). */
  async close(): Promise<Array<{ id: string; trajectory: string | null }>> {
    if (this.closed) return [];
    this.closed = true;
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((r) => {
            s.close(() => r());
            s.closeAllConnections();
          }),
      ),
    );
    for (const p of this.sockets) await rm(p, { force: true });
    return this.sessions.endAll();
  }

  private server(): Server {
    const s = createServer((req, res) => {
      this.handle(req, res).catch((e) => sendError(res, e instanceof ProxyRequestError ? e.status : 500, errorMessage(e)));
    });
    this.servers.push(s);
    return s;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy');
    let path = url.pathname;
    const end = path.match(/^\/sessions\/([^/]+)\/end$/);
    if (end && req.method === 'POST') {
      const id = decodeURIComponent(end[1]!);
      const r = this.sessions.end(id);
      if (!r) return sendError(res, 404, `no session ${id}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session: id, ...r }));
      return;
    }
    let pathSession: string | undefined;
    const prefixed = path.match(/^\/s\/([^/]+)(\/.*)$/);
    if (prefixed) {
      pathSession = decodeURIComponent(prefixed[1]!);
      path = prefixed[2]!;
    }
    path = path.replace(/^\/v1(?=\/)/, '');
    if (path === '/chat/completions' && req.method === 'POST') return this.chat(req, res, pathSession);
    if ((path === '/models' || path.startsWith('/models/')) && req.method === 'GET') return this.models(req, res, path + url.search);
    sendError(res, 404, `the ClawGym proxy serves POST /v1/chat/completions, GET /v1/models and POST /sessions/<id>/end, not ${req.method} ${url.pathname}`);
  }

  private upstreamHeaders(req: IncomingMessage): { headers: Record<string, string>; secrets: string[] } {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || DROP_REQUEST.has(k) || (this.o.forceKey && KEY_HEADERS.has(k))) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const clientKey = this.o.forceKey ? undefined : bearer(req.headers.authorization);
    if ((this.o.forceKey || !req.headers.authorization) && this.o.apiKey) headers.authorization = `Bearer ${this.o.apiKey}`;
    return { headers, secrets: secretsOf([clientKey, this.o.forceKey ? bearer(req.headers.authorization) : undefined, ...['api-key', 'x-api-key'].map((k) => req.headers[k] as string | undefined)]) };
  }

  private async models(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const { headers } = this.upstreamHeaders(req);
    let r: Response;
    try {
      r = await this.fetch(`${this.upstream}${path}`, { method: 'GET', headers });
    } catch (e) {
      return sendError(res, 502, `upstream ${this.upstream} unreachable: ${errorMessage(e)}`);
    }
    res.writeHead(r.status, this.responseHeaders(r)).end(Buffer.from(await r.arrayBuffer()));
  }

  private responseHeaders(r: Response): Record<string, string> {
    const h: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (!DROP_RESPONSE.has(k)) h[k] = v;
    });
    return h;
  }

  private resolveSession(req: IncomingMessage, pathSession: string | undefined, model: unknown): { id: string; model: unknown } {
    const header = req.headers[SESSION_HEADER];
    let id = (Array.isArray(header) ? header[0] : header) ?? pathSession;
    // The suffix is only read when nothing else named the session (model names may hold an "@").
    if (id === undefined && typeof model === 'string') {
      const at = model.lastIndexOf('@');
      if (at > 0 && SESSION_ID.test(model.slice(at + 1))) return { id: model.slice(at + 1), model: model.slice(0, at) };
    }
    id ??= DEFAULT_SESSION;
    if (!SESSION_ID.test(id)) throw new ProxyRequestError(400, `bad session id ${JSON.stringify(id.slice(0, 80))}: use letters, digits, ".", "_" or "-"`);
    return { id, model };
  }

  private async chat(req: IncomingMessage, res: ServerResponse, pathSession: string | undefined): Promise<void> {
    const raw = await readRequest(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8'));
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch (e) {
      throw new ProxyRequestError(400, `request body is not a JSON object: ${errorMessage(e)}`);
    }
    const { id, model } = this.resolveSession(req, pathSession, body.model);
    if ('model' in body) body.model = model;
    const session = this.sessions.get(id);
    if (!session) throw new ProxyRequestError(404, `session ${id} is not open on this proxy`);
    const parsed = ChatMessage.array().safeParse(body.messages);
    const messages = parsed.success ? parsed.data : [];
    const stream = body.stream === true;
    const { headers, secrets } = this.upstreamHeaders(req);
    const target = `${this.upstream}/chat/completions`;
    const started = performance.now();
    const base = (): LlmCallRecord => ({
      ts: new Date().toISOString(),
      call_id: randomUUID(),
      attempt: 1,
      endpoint: this.upstream,
      model: typeof body.model === 'string' ? body.model : '',
      stream,
      request: { method: 'POST', url: target, headers: redactHeaders(headers), body },
      response: null,
      error: null,
      usage: null,
      cost_usd: null,
      latency_ms: 0,
    });
    // A client that hangs up cancels the upstream call (and frees its slot) — unless its answer is
    // already whole (see passStream): then the rest of the stream (usage) is still read.
    const ac = new AbortController();
    const hangUp = { handler: () => ac.abort() };
    res.on('close', () => {
      if (!res.writableFinished) hangUp.handler();
    });
    await this.limit(async () => {
      let r: Response;
      try {
        r = await this.fetch(target, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: ac.signal });
      } catch (e) {
        const message = `upstream ${this.upstream} unreachable: ${errorMessage(e)}`;
        session.observe({ record: { ...base(), error: { status: null, message, retry_in_ms: null }, latency_ms: performance.now() - started }, secrets, messages, response: null });
        return sendError(res, 502, message);
      }
      res.writeHead(r.status, this.responseHeaders(r));
      const isSse = (r.headers.get('content-type') ?? '').includes('text/event-stream');
      if (r.ok && isSse && r.body) return this.passStream(r, res, session, { base, secrets, messages, started, ac, hangUp });
      const text = Buffer.from(await r.arrayBuffer());
      res.end(text);
      let json: unknown = text.toString('utf8');
      try {
        json = JSON.parse(json as string);
      } catch {
        /* recorded as text */
      }
      const rec = { ...base(), latency_ms: performance.now() - started };
      if (!r.ok) {
        const msg = (json as { error?: { message?: string } })?.error?.message ?? `HTTP ${r.status}`;
        session.observe({ record: { ...rec, response: { status: r.status, body: json }, error: { status: r.status, message: String(msg), retry_in_ms: null } }, secrets, messages, response: null });
        return;
      }
      const c = json as { model?: string; usage?: ChatCompletionChunk['usage']; choices?: Array<{ message?: unknown }> };
      const usage = usageOf(c.usage);
      const cost = costOf(c.model ?? rec.model, usage, this.o.prices ?? {});
      const msg = ChatMessage.safeParse(c.choices?.[0]?.message);
      session.observe({ record: { ...rec, response: { status: r.status, body: json }, usage, cost_usd: cost }, secrets, messages, response: msg.success ? msg.data : null, metrics: metricsOf(usage, cost), model: c.model });
    });
  }

  /**
   * Bytes go to the client as they arrive; a copy is parsed on the side for the recording. Clients
   * such as OpenClaw hang up as soon as the chunk with finish_reason arrives: the answer is whole
   * then, so the upstream is read on to its end (the usage chunk comes after it), for at most
   * DRAIN_MS, and the call is recorded complete. A hang-up before finish_reason cancels the call.
   */
  private async passStream(
    r: Response,
    res: ServerResponse,
    session: ProxySession,
    c: { base: () => LlmCallRecord; secrets: string[]; messages: ChatMessage[]; started: number; ac: AbortController; hangUp: { handler: () => void } },
  ): Promise<void> {
    const sse = new SseParser();
    const asm = new ChunkAssembler();
    let finished = false;
    let drain: NodeJS.Timeout | undefined;
    c.hangUp.handler = () => {
      if (!finished) return c.ac.abort();
      drain = setTimeout(() => c.ac.abort(), DRAIN_MS);
      drain.unref();
    };
    const take = (events: string[]) => {
      for (const data of events) {
        if (data.trim() === '[DONE]') continue;
        try {
          asm.add(JSON.parse(data) as ChatCompletionChunk);
        } catch {
          /* not a chunk (a comment, a keep-alive): passed through, not recorded */
        }
      }
      finished ||= asm.finished;
    };
    let error: string | null = null;
    try {
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        if (!res.destroyed) res.write(chunk);
        take(sse.push(chunk));
      }
      take(sse.end());
    } catch (e) {
      // Cut off after the answer was whole (a drain that ran out): what arrived is the answer.
      if (!finished) error = `stream broke off: ${errorMessage(e)}`;
    } finally {
      clearTimeout(drain);
    }
    if (!res.destroyed) res.end();
    const a = asm.result();
    const cost = costOf(a.model || c.base().model, a.usage, this.o.prices ?? {});
    const rec = { ...c.base(), latency_ms: performance.now() - c.started };
    session.observe({
      record: { ...rec, response: { status: r.status, body: { model: a.model, finish_reason: a.finish, message: a.message, usage: a.usage }, chunks: a.chunks }, error: error ? { status: null, message: error, retry_in_ms: null } : null, usage: a.usage, cost_usd: cost },
      secrets: c.secrets,
      messages: c.messages,
      response: error ? null : (a.message as ChatMessage),
      metrics: metricsOf(a.usage, cost),
      model: a.model || undefined,
    });
  }
}
