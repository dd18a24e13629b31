/**
 * A real HTTP server speaking OpenAI's Chat Completions protocol, scripted per test: JSON or SSE
 * streaming (tool_calls split into deltas as real servers send them), injected 429 (with
 * Retry-After) and 500, GET /models, and a record of every request it got.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  name: string;
  /** An object is JSON-encoded; a string is sent as it is (so it may be malformed). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

export interface ScriptedTurn {
  content?: string | null;
  reasoning?: string;
  tool_calls?: ScriptedToolCall[];
  finish_reason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** An HTTP error instead of a completion. */
  status?: number;
  retryAfter?: string;
  /** Wait before answering (for timeouts). */
  delayMs?: number;
  /** Answer only once this settles (a test holds a run mid-way, e.g. to watch it live). */
  gate?: Promise<unknown>;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: { model?: string; messages?: Array<Record<string, unknown>>; tools?: unknown[]; stream?: boolean; [k: string]: unknown };
}

export type Script = ScriptedTurn[] | ((req: RecordedRequest, n: number) => ScriptedTurn);

export class MockLlm {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private n = 0;
  url = '';

  constructor(private script: Script = []) {}

  setScript(s: Script): void {
    this.script = s;
    this.n = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => void this.handle(req, Buffer.concat(parts).toString('utf8'), res));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private next(rec: RecordedRequest): ScriptedTurn {
    const i = this.n++;
    if (typeof this.script === 'function') return this.script(rec, i);
    return this.script[i] ?? { content: 'Done.' };
  }

  private async handle(req: IncomingMessage, raw: string, res: import('node:http').ServerResponse): Promise<void> {
    let body: RecordedRequest['body'] = {};
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad JSON' } }));
      return;
    }
    const rec: RecordedRequest = { path: req.url ?? '', headers: req.headers, body };
    this.requests.push(rec);
    if (req.method === 'GET' && /\/models(\/|$)/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-mock': 'models' }).end(JSON.stringify({ object: 'list', data: [{ id: 'mock-model', object: 'model', owned_by: 'clawgym-tests' }] }));
      return;
    }
    if (!req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const turn = this.next(rec);
    if (turn.delayMs) await new Promise((r) => setTimeout(r, turn.delayMs));
    if (turn.gate) await turn.gate;
    if (res.destroyed) return;
    if (turn.status && turn.status >= 400) {
      const h: Record<string, string> = { 'content-type': 'application/json' };
      if (turn.retryAfter !== undefined) h['retry-after'] = turn.retryAfter;
      res.writeHead(turn.status, h).end(JSON.stringify({ error: { message: `injected ${turn.status}`, type: 'server_error' } }));
      return;
    }
    const id = `chatcmpl-${this.n}`;
    const model = body.model ?? 'mock';
    const calls = (turn.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `call_${this.n}_${i}`, type: 'function' as const, function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) } }));
    const finish = turn.finish_reason ?? (calls.length ? 'tool_calls' : 'stop');
    const usage = { prompt_tokens: turn.usage?.prompt_tokens ?? 100, completion_tokens: turn.usage?.completion_tokens ?? 20, total_tokens: (turn.usage?.prompt_tokens ?? 100) + (turn.usage?.completion_tokens ?? 20) };
    const content = turn.content === undefined ? (calls.length ? null : 'Done.') : turn.content;
    if (!body.stream) {
      const message: Record<string, unknown> = { role: 'assistant', content, ...(turn.reasoning ? { reasoning_content: turn.reasoning } : {}), ...(calls.length ? { tool_calls: calls } : {}) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, object: 'chat.completion', created: 0, model, choices: [{ index: 0, message, finish_reason: finish }], usage }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (delta: Record<string, unknown>, finish_reason: string | null = null, extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`);
    send({ role: 'assistant', content: '' });
    if (turn.reasoning) send({ reasoning_content: turn.reasoning });
    if (content) for (const piece of content.match(/.{1,7}/gs) ?? []) send({ content: piece });
    calls.forEach((c, index) => {
      send({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] });
      const a = c.function.arguments;
      const cut = Math.floor(a.length / 2);
      send({ tool_calls: [{ index, function: { arguments: a.slice(0, cut) } }] });
      send({ tool_calls: [{ index, function: { arguments: a.slice(cut) } }] });
    });
    send({}, finish);
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }
}
