/**
 * `clawgym serve env`: tasks as an RL environment, over two protocols on one port.
 *
 * - OpenEnv's (meta-pytorch/OpenEnv v0.2.x, what TRL, SkyRL and Unsloth speak): a session per
 *   WebSocket at /ws (ws-session.ts), MCP JSON-RPC at /mcp (POST and WebSocket), GET /health,
 *   /schema, /metadata, /state, and one-shot POST /reset and /step (a fresh episode per request).
 * - The native HTTP API: POST /reset {task_id}|{seed}, /step {episode_id, tool_call}, /verify,
 *   /close, /group, /rollout; GET /tasks, /groups/<id>.
 *
 * POST /reset and /step serve both: a body of the native shape ({task_id} or {seed} alone;
 * {episode_id, tool_call}) is the native API, anything else OpenEnv's one-shot request.
 *
 * Safe to expose: every request but an anonymous GET /health needs the token (security.ts);
 * bodies and WebSocket messages are size-capped; /rollout calls only the base URLs the operator
 * allowed; everything that holds a slot is reaped when idle; a malformed request gets a clear 4xx
 * and touches no episode.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClawgymError, errorMessage } from '../errors.js';
import { redact, secretsOf } from '../llm/redact.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { persistentUnavailable } from '../sandbox/persistent.js';
import type { Task } from '../task/task.js';
import { VERSION } from '../version.js';
import type { RubricJudge } from '../verify/judge.js';
import { CLAW_TOOLS } from '../agents/claw/tools.js';
import { applyAction, listToolsResult, resetResult, toolSpecs, type ActionOptions } from './actions.js';
import { CapacityError, Environment, UnknownEpisodeError, UnknownGroupError, UnknownTaskError } from './environment.js';
import { EpisodeStateError, type Episode } from './episode.js';
import { HttpError, parseBody, readJson, sendError, sendJson } from './http.js';
import { McpHandler } from './mcp.js';
import { Action, HttpResetRequest, HttpStepRequest, schemas, type StepResult } from './openenv.js';
import { EpisodeRequest, GroupRequest, ResetRequest, RolloutRequest, StepRequest, type CloseResponse, type ResetResponse, type StepResponse, type VerifyResponse } from './protocol.js';
import { runRollout } from './rollout.js';
import { BaseUrlPolicy, presentedToken, tokenMatches, type AuthMode } from './security.js';
import { WsSession } from './ws-session.js';

export interface EnvServerOptions {
  tasks: Task[];
  sandbox: Sandbox;
  /** Slots: open episodes, WebSocket and MCP sessions, running rollout samples, at most. */
  maxEpisodes: number;
  /** Whatever holds a slot with no request for this long is closed. */
  idleTimeoutMs: number;
  /** Tool calls per episode at most (default 200). */
  maxSteps?: number;
  /** A reward after every tool call, not only when the episode ends (default off). */
  denseReward?: boolean;
  /** Bearer token, or none (loopback only: resolveAuth decides). */
  auth: AuthMode;
  /** Base URLs /rollout may call (none: /rollout is refused). */
  allowBaseUrls?: readonly string[];
  /** Request bodies and WebSocket messages at most (bytes; default 8 MiB). */
  maxBodyBytes?: number;
  /** Where episode, group and rollout folders are made (default: a fresh folder in the temp dir). */
  workDir?: string;
  timeoutMultiplier?: number;
  judge?: RubricJudge;
  /** Keep episode and rollout folders after they end. */
  keep?: boolean;
  /** One line per request (method, path, status, time; never a body or a token). */
  log?: (line: string) => void;
}

export const DEFAULT_MAX_STEPS = 200;
export const DEFAULT_MAX_BODY = 8 * 1024 * 1024;
const GROUP_WAIT_MAX_S = 600;

export class EnvServer {
  readonly env: Environment;
  private readonly mcp: McpHandler;
  private readonly actions: ActionOptions;
  private readonly baseUrls: BaseUrlPolicy;
  private readonly maxBody: number;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly o: EnvServerOptions) {
    this.env = new Environment({ ...o, maxSteps: o.maxSteps ?? DEFAULT_MAX_STEPS });
    this.actions = { denseReward: o.denseReward ?? false };
    this.mcp = new McpHandler(this.env, this.actions);
    this.baseUrls = new BaseUrlPolicy(o.allowBaseUrls ?? []);
    this.maxBody = o.maxBodyBytes ?? DEFAULT_MAX_BODY;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await this.env.start();
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.maxBody });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    // A peer that vanished without closing (a dead network path) is found within a minute.
    this.heartbeat = setInterval(() => {
      for (const ws of this.wss!.clients) {
        const w = ws as WebSocket & { alive?: boolean };
        if (w.alive === false) w.terminate();
        else {
          w.alive = false;
          w.ping();
        }
      }
    }, 30_000);
    this.heartbeat.unref();
    const a = this.server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Stop listening, tell every WebSocket client (1001), close every episode. Nothing is left running. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    const server = this.server;
    const closing = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    await this.env.stop();
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    server?.closeAllConnections();
    await closing;
  }

  get openEpisodes(): number {
    return this.env.openEpisodes;
  }

  // ── authentication ─────────────────────────────────────────────────────────

  private authorized(req: IncomingMessage): boolean {
    const a = this.o.auth;
    return a.kind === 'none' || tokenMatches(a.token, presentedToken(req.headers));
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://env').pathname;
    const refuse = (status: number, text: string, extra = '') => {
      const body = JSON.stringify({ error: { type: status === 401 ? 'unauthorized' : 'not_found', message: text }, detail: text });
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}\r\n${extra}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      this.o.log?.(`WS ${path} ${status}`);
    };
    if (path !== '/ws' && path !== '/mcp') return refuse(404, `no WebSocket at ${path}: /ws (OpenEnv sessions) and /mcp (MCP JSON-RPC)`);
    if (!this.authorized(req)) return refuse(401, 'a valid token is needed: "Authorization: Bearer <token>", or the token as the password of Basic credentials', 'www-authenticate: Bearer realm="clawgym"\r\n');
    this.wss!.handleUpgrade(req, socket, head, (ws) => {
      const w = ws as WebSocket & { alive?: boolean };
      w.alive = true;
      ws.on('pong', () => (w.alive = true));
      this.o.log?.(`WS ${path} open`);
      ws.on('close', (code) => this.o.log?.(`WS ${path} closed ${code}`));
      if (path === '/ws') WsSession.accept(ws, this.env, this.mcp, this.actions);
      else this.mcpSocket(ws);
    });
  }

  /**
   * JSON-RPC over a WebSocket at /mcp: the connection's own episode, opened by its first
   * openenv/session/create or tools/call (its params may pick the task) and closed with it.
   */
  private mcpSocket(ws: WebSocket): void {
    let episode: Episode | undefined;
    let closed = false;
    let queue = Promise.resolve();
    const scope = {
      bound: () => episode,
      open: async (p: { task_id?: string; seed?: number }) => {
        episode ??= await this.env.openEpisode(p, { slotHeld: false });
        if (closed) await this.env.end(episode, 'disconnected');
        return episode;
      },
    };
    ws.on('message', (data) => {
      queue = queue.then(async () => {
        let body: unknown;
        try {
          body = JSON.parse(data.toString());
        } catch (e) {
          ws.send(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${(e as Error).message}` } }));
          return;
        }
        const r = await this.mcp.handleRaw(body, scope);
        if (r && ws.readyState === ws.OPEN) ws.send(JSON.stringify(r));
      });
    });
    ws.on('close', () => {
      closed = true;
      if (episode && !episode.closed) void this.env.end(episode, 'disconnected').catch(() => {});
    });
  }

  // ── HTTP ───────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const url = new URL(req.url ?? '/', 'http://env');
    let status = 200;
    try {
      const body = await this.route(req.method ?? 'GET', url, req);
      if (body === NO_CONTENT) {
        status = 202;
        res.writeHead(202).end();
      } else sendJson(res, 200, body);
    } catch (e) {
      const he = toHttpError(e);
      status = he.status;
      sendError(res, he);
    }
    this.o.log?.(`${req.method} ${url.pathname} ${status} ${(performance.now() - t0).toFixed(0)}ms`);
  }

  private async route(method: string, url: URL, req: IncomingMessage): Promise<unknown> {
    const path = url.pathname;
    const authed = this.authorized(req);
    // Liveness probes need no token and learn nothing but that the server is up.
    if (path === '/health' && method === 'GET' && !authed) return { status: 'healthy' };
    if (!authed) throw new HttpError(401, 'unauthorized', 'a valid token is needed: "Authorization: Bearer <token>"', { 'www-authenticate': 'Bearer realm="clawgym"' }, 'Not authenticated');
    const body = () => readJson(req, this.maxBody);
    const routes: Record<string, { method: string; run: () => Promise<unknown> }> = {
      '/health': { method: 'GET', run: async () => this.health() },
      '/tasks': { method: 'GET', run: async () => this.listTasks() },
      '/schema': { method: 'GET', run: async () => schemas() },
      '/metadata': { method: 'GET', run: async () => this.metadata() },
      '/state': { method: 'GET', run: async () => this.state(url) },
      '/reset': { method: 'POST', run: async () => this.reset(await body()) },
      '/step': { method: 'POST', run: async () => this.step(await body()) },
      '/verify': { method: 'POST', run: async () => this.verify(parseBody(EpisodeRequest, await body())) },
      '/close': { method: 'POST', run: async () => this.closeEpisode(parseBody(EpisodeRequest, await body())) },
      '/group': { method: 'POST', run: async () => this.createGroup(parseBody(GroupRequest, await body())) },
      '/rollout': { method: 'POST', run: async () => this.rollout(parseBody(RolloutRequest, await body())) },
      '/mcp': { method: 'POST', run: async () => this.mcpHttp(req) },
    };
    const group = /^\/groups\/([^/]+)$/.exec(path);
    if (group) {
      if (method !== 'GET') throw new HttpError(405, 'method_not_allowed', `${path} takes GET`, { allow: 'GET' });
      return this.groupSummary(decodeURIComponent(group[1]!), url);
    }
    const r = routes[path];
    if (!r) throw new HttpError(404, 'not_found', `no ${path}: the server has ${Object.entries(routes).map(([p, x]) => `${x.method} ${p}`).join(', ')}, GET /groups/<id>, WebSocket /ws and /mcp`);
    if (r.method !== method) throw new HttpError(405, 'method_not_allowed', `${path} takes ${r.method}`, { allow: r.method });
    return r.run();
  }

  private health() {
    const s = this.env.slots;
    return {
      status: 'healthy',
      version: VERSION,
      tasks: this.env.tasks.size,
      episodes: { open: s.open, rollout_samples: s.rollout_samples, used: s.used, max: s.max },
      idle_timeout_s: this.o.idleTimeoutMs / 1000,
      max_steps: this.env.o.maxSteps,
      sandbox: this.o.sandbox.mode,
      persistent_sandbox: this.o.sandbox.mode === 'bwrap' && !persistentUnavailable(),
    };
  }

  private listTasks() {
    return {
      tasks: this.env.order.map((t) => ({ id: t.spec.id, title: t.spec.title, category: t.spec.category ?? null, difficulty: t.spec.difficulty ?? null, timeout_sec: t.spec.timeout_sec })),
    };
  }

  /** OpenEnv's EnvironmentMetadata (exactly its fields). */
  private metadata() {
    const tools = toolSpecs().map((t) => `- \`${t.name}\`: ${t.description}`).join('\n');
    return {
      name: 'clawgym',
      description: `ClawGym tasks as an RL environment: ${this.env.tasks.size} task(s), each episode a sandboxed workspace worked on with the claw agent's OpenClaw tools; the reward is the task verifier's.`,
      readme_content: [
        '# ClawGym environment',
        '',
        'Reset with `{"task_id"}` or `{"seed"}` (else a task at random); optional `group_id` and `group_size` make a GRPO group.',
        'Actions: `{"type": "call_tool", "tool_name", "arguments"}`, `{"type": "list_tools"}`, `{"type": "finish", "message"?}`, `{"type": "message", "content"}` (the final answer).',
        'The episode ends with finish, a message, or the step limit; the observation then carries the reward and every check in `metadata.verification`.',
        '',
        '## Tools',
        tools,
      ].join('\n'),
      version: VERSION,
      author: 'ClawGym',
      documentation_url: null,
    };
  }

  /** GET /state: OpenEnv's one-shot state (a fresh environment's), or an episode's with ?episode_id=. */
  private state(url: URL) {
    const id = url.searchParams.get('episode_id');
    if (id) return this.env.episode(id).state();
    return { episode_id: null, step_count: 0, task_id: null, done: false, reward: null, seed: null, group_id: null, max_steps: this.env.o.maxSteps, end_reason: null };
  }

  // ── reset and step: native, or OpenEnv's one-shot ──────────────────────────

  private async reset(body: unknown): Promise<unknown> {
    if (isNative(body, ['task_id', 'seed'])) return this.nativeReset(parseBody(ResetRequest, body));
    const r = parseBody(HttpResetRequest, body, 422);
    return this.oneShot({ task_id: r.task_id, seed: r.seed, episode_id: r.episode_id }, async (ep) => resetResult(ep));
  }

  private async nativeReset(r: ResetRequest): Promise<ResetResponse & StepResult> {
    const ep = await this.env.openEpisode({ task_id: r.task_id, seed: r.seed }, { slotHeld: false });
    return { ...this.describe(ep), ...resetResult(ep) };
  }

  private describe(ep: Episode): ResetResponse {
    return { episode_id: ep.id, task_id: ep.task.spec.id, instruction: ep.task.spec.instruction, tools: CLAW_TOOLS, system_prompt: ep.systemPrompt, cwd: ep.task.spec.mount };
  }

  private async step(body: unknown): Promise<unknown> {
    if (!(body && typeof body === 'object' && 'action' in body)) {
      const r = parseBody(StepRequest, body);
      const ep = this.env.episode(r.episode_id);
      const out = await ep.step(r.tool_call.name, r.tool_call.arguments, r.message);
      return { episode_id: ep.id, observation: out.text, is_error: out.isError, step: out.step, ms: Math.round(out.ms), done: out.finished !== null, reward: out.finished?.reward ?? null } satisfies StepResponse;
    }
    const r = parseBody(HttpStepRequest, body, 422);
    const action = Action.safeParse(r.action);
    if (!action.success) throw new HttpError(422, 'invalid_action', `invalid action: ${action.error.issues.map((i) => `${i.path.join('.') || 'action'}: ${i.message}`).join('; ')}`, {}, action.error.issues.map((i) => ({ type: i.code, loc: ['body', 'action', ...i.path.map(String)], msg: i.message })));
    const opts = { ...this.actions, timeoutMs: r.timeout_s ? r.timeout_s * 1000 : undefined };
    if (action.data.type === 'list_tools') return listToolsResult(undefined);
    // One-shot: a fresh episode for this action; it ends with the request, so a tool call is verified too.
    return this.oneShot({ task_id: r.task_id, seed: r.seed }, async (ep) => {
      const out = await applyAction(ep, action.data, opts);
      if (out.done) return out;
      const end = await applyAction(ep, { type: 'finish', metadata: {} }, opts);
      return { observation: { ...out.observation, metadata: { ...out.observation.metadata, ...end.observation.metadata } }, reward: end.reward, done: true };
    });
  }

  private async oneShot<T>(sel: { task_id?: string; seed?: number; episode_id?: string }, f: (ep: Episode) => Promise<T>): Promise<T> {
    const ep = await this.env.openEpisode(sel, { slotHeld: false });
    try {
      return await f(ep);
    } finally {
      await this.env.end(ep, 'closed');
    }
  }

  // ── native episode API ─────────────────────────────────────────────────────

  private async verify(r: EpisodeRequest): Promise<VerifyResponse> {
    const ep = this.env.episode(r.episode_id);
    const v = await ep.verify();
    return { episode_id: ep.id, task_id: ep.task.spec.id, reward: v.reward, passed: v.passed, error: v.error, error_kind: v.error_kind, details: v };
  }

  private async closeEpisode(r: EpisodeRequest): Promise<CloseResponse> {
    const ep = this.env.episode(r.episode_id);
    const trajectory = await this.env.end(ep, 'closed');
    return { episode_id: ep.id, closed: true, steps: ep.steps, trajectory };
  }

  /** POST /group: n episodes of one task at once, from one starting workspace (all slots or none). */
  private async createGroup(r: GroupRequest) {
    this.env.ensureRoom(r.n); // each member takes its own slot below
    const group = await this.env.createGroup({ task_id: r.task_id, seed: r.seed, group_id: r.group_id }, r.n);
    const opened: Episode[] = [];
    try {
      for (let k = 0; k < r.n; k++) opened.push(await this.env.openEpisode({ group_id: group.id }, { slotHeld: false }));
    } catch (e) {
      await Promise.allSettled(opened.map((ep) => this.env.end(ep, 'closed')));
      await this.env.dropGroup(group);
      throw e;
    }
    return { group_id: group.id, task_id: group.task.spec.id, size: r.n, episodes: opened.map((ep) => this.describe(ep)) };
  }

  /** GET /groups/<id>[?wait=<s>][&trajectories=1]: the members' rewards together (waiting up to `wait` s for all). */
  private async groupSummary(id: string, url: URL) {
    const group = this.env.group(id);
    const wait = Math.min(GROUP_WAIT_MAX_S, Math.max(0, Number(url.searchParams.get('wait') ?? 0) || 0));
    await group.wait(wait * 1000);
    return group.summary(/^(1|true|yes)$/i.test(url.searchParams.get('trajectories') ?? ''));
  }

  private async rollout(r: RolloutRequest) {
    const task = this.env.tasks.get(r.task_id);
    if (!task) throw new UnknownTaskError(r.task_id);
    if (r.n > this.o.maxEpisodes) throw new HttpError(400, 'invalid_request', `n: ${r.n} samples exceed this server's ${this.o.maxEpisodes} slots (--max-episodes)`);
    const refused = this.baseUrls.refusal(r.base_url);
    if (refused) throw new HttpError(403, 'base_url_not_allowed', `base_url refused: ${refused}`);
    this.env.acquire(r.n);
    this.env.rolloutSamples += r.n;
    try {
      return await runRollout({ task, request: r, sandbox: this.o.sandbox, root: this.env.root, timeoutMultiplier: this.o.timeoutMultiplier ?? 1, judge: this.o.judge, keep: this.o.keep });
    } catch (e) {
      const he = toHttpError(e);
      throw new HttpError(he.status, he.type, redact(he.message, secretsOf([r.api_key])), he.headers);
    } finally {
      this.env.release(r.n);
      this.env.rolloutSamples -= r.n;
    }
  }

  /** POST /mcp: one JSON-RPC message (no batches); 400 with a JSON-RPC error when it is not one. */
  private async mcpHttp(req: IncomingMessage): Promise<unknown> {
    let body: unknown;
    try {
      body = await readJson(req, this.maxBody);
    } catch (e) {
      if (e instanceof HttpError && e.type === 'invalid_json') throw new HttpError(400, 'invalid_json', e.message, {}, { jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${e.message}` } });
      throw e;
    }
    const r = await this.mcp.handleRaw(body);
    if (!r) return NO_CONTENT;
    if ('error' in r && r.error.code === -32600) throw new HttpError(400, 'invalid_request', r.error.message, {}, r);
    return r;
  }
}

const NO_CONTENT = Symbol('no content');

/** A body of the native shape: an object whose keys are all among `keys` (and at least one). */
function isNative(body: unknown, keys: string[]): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const k = Object.keys(body);
  return k.length > 0 && k.every((x) => keys.includes(x));
}

function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof CapacityError) return new HttpError(429, 'at_capacity', e.message, { 'retry-after': '1' });
  if (e instanceof UnknownTaskError) return new HttpError(404, 'unknown_task', e.message);
  if (e instanceof UnknownEpisodeError) return e.ended ? new HttpError(410, 'episode_ended', e.message) : new HttpError(404, 'unknown_episode', e.message);
  if (e instanceof UnknownGroupError) return new HttpError(404, 'unknown_group', e.message);
  if (e instanceof EpisodeStateError) return new HttpError(409, 'episode_state', e.message);
  if (e instanceof ClawgymError) {
    if (e.kind === 'usage') return new HttpError(400, 'invalid_request', e.message);
    if (e.kind === 'task') return new HttpError(422, 'task_error', e.message);
    // Our sandbox or infrastructure failed: worth retrying later.
    if (e.kind === 'harness') return new HttpError(503, 'harness_error', e.message, { 'retry-after': '5' });
  }
  return new HttpError(500, 'internal', errorMessage(e));
}
