/**
 * `clawgym serve env`: tasks as an RL environment over HTTP, for trainers in any language.
 * Gymnasium-shaped episodes — POST /reset, /step, /verify, /close — each with its own workspace
 * and sandbox; POST /rollout for whole claw-agent rollouts against a policy endpoint (a GRPO
 * group); GET /health and /tasks. Open episodes and rollout samples share one cap (429 with
 * Retry-After when it is reached); episodes idle longer than the idle timeout are reaped.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLAW_TOOLS } from '../agents/claw/tools.js';
import { ClawgymError, errorMessage } from '../errors.js';
import { redact, secretsOf } from '../llm/redact.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { Rng } from '../rng.js';
import type { Task } from '../task/task.js';
import { VERSION } from '../version.js';
import type { RubricJudge } from '../verify/judge.js';
import { Episode, EpisodeStateError } from './episode.js';
import { HttpError, parseBody, readJson, sendError, sendJson } from './http.js';
import { EpisodeRequest, ResetRequest, RolloutRequest, StepRequest, type CloseResponse, type ResetResponse, type StepResponse, type VerifyResponse } from './protocol.js';
import { runRollout } from './rollout.js';

export interface EnvServerOptions {
  tasks: Task[];
  sandbox: Sandbox;
  /** Open episodes plus running rollout samples, at most. */
  maxEpisodes: number;
  /** An episode with no request for this long is closed. */
  idleTimeoutMs: number;
  /** Where episode and rollout folders go (default: a fresh folder in the temp dir). */
  workDir?: string;
  timeoutMultiplier?: number;
  judge?: RubricJudge;
  /** Keep episode and rollout folders after they end. */
  keep?: boolean;
  /** One line per request (method, path, status, time; never a body). */
  log?: (line: string) => void;
}

/** Ended episodes remembered, so a late request hears "reaped" rather than "unknown". */
const ENDED_MEMORY = 10_000;

export class EnvServer {
  private readonly tasks = new Map<string, Task>();
  /** Sorted by id: a seed picks the same task wherever the same pool is served. */
  private readonly order: Task[];
  private readonly episodes = new Map<string, Episode>();
  private readonly ended = new Map<string, string>();
  /** Slots held: episodes open or opening, rollout samples running. */
  private used = 0;
  private rolloutSamples = 0;
  private server: Server | undefined;
  private reaper: NodeJS.Timeout | undefined;
  private root = '';
  private ownRoot = false;

  constructor(private readonly o: EnvServerOptions) {
    for (const t of o.tasks) this.tasks.set(t.spec.id, t);
    this.order = [...o.tasks].sort((a, b) => (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0));
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.o.workDir) this.root = this.o.workDir;
    else {
      this.root = await mkdtemp(join(tmpdir(), 'clawgym-env-'));
      this.ownRoot = true;
    }
    // The sandbox uid (when we run as root) must reach the episode folders below.
    await chmod(this.root, 0o755);
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const every = Math.max(200, Math.min(5000, this.o.idleTimeoutMs / 4));
    this.reaper = setInterval(() => void this.reap(), every);
    this.reaper.unref();
    const a = this.server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Stop listening and close every episode. */
  async close(): Promise<void> {
    clearInterval(this.reaper);
    const server = this.server;
    if (server) {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    }
    await Promise.allSettled([...this.episodes.values()].map((e) => this.end(e, 'shutdown')));
    if (this.ownRoot && !this.o.keep) await rm(this.root, { recursive: true, force: true });
  }

  get openEpisodes(): number {
    return this.episodes.size;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const path = new URL(req.url ?? '/', 'http://env').pathname;
    let status = 200;
    try {
      const body = await this.route(req.method ?? 'GET', path, req);
      sendJson(res, 200, body);
    } catch (e) {
      const he = toHttpError(e);
      status = he.status;
      sendError(res, he);
    }
    this.o.log?.(`${req.method} ${path} ${status} ${(performance.now() - t0).toFixed(0)}ms`);
  }

  private async route(method: string, path: string, req: IncomingMessage): Promise<unknown> {
    const routes: Record<string, { method: string; run: () => Promise<unknown> }> = {
      '/health': { method: 'GET', run: async () => this.health() },
      '/tasks': { method: 'GET', run: async () => this.listTasks() },
      '/reset': { method: 'POST', run: async () => this.reset(parseBody(ResetRequest, await readJson(req))) },
      '/step': { method: 'POST', run: async () => this.step(parseBody(StepRequest, await readJson(req))) },
      '/verify': { method: 'POST', run: async () => this.verify(parseBody(EpisodeRequest, await readJson(req))) },
      '/close': { method: 'POST', run: async () => this.closeEpisode(parseBody(EpisodeRequest, await readJson(req))) },
      '/rollout': { method: 'POST', run: async () => this.rollout(parseBody(RolloutRequest, await readJson(req))) },
    };
    const r = routes[path];
    if (!r) throw new HttpError(404, 'not_found', `no ${path}: the server has ${Object.entries(routes).map(([p, x]) => `${x.method} ${p}`).join(', ')}`);
    if (r.method !== method) throw new HttpError(405, 'method_not_allowed', `${path} takes ${r.method}`, { allow: r.method });
    return r.run();
  }

  private health() {
    return {
      status: 'ok',
      version: VERSION,
      tasks: this.tasks.size,
      episodes: { open: this.episodes.size, rollout_samples: this.rolloutSamples, used: this.used, max: this.o.maxEpisodes },
      idle_timeout_s: this.o.idleTimeoutMs / 1000,
      sandbox: this.o.sandbox.mode,
    };
  }

  private listTasks() {
    return {
      tasks: this.order.map((t) => ({ id: t.spec.id, title: t.spec.title, category: t.spec.category ?? null, difficulty: t.spec.difficulty ?? null, timeout_sec: t.spec.timeout_sec })),
    };
  }

  /** Hold `n` slots or answer 429. */
  private acquire(n: number): void {
    if (this.used + n > this.o.maxEpisodes) {
      throw new HttpError(429, 'at_capacity', `${this.used} of ${this.o.maxEpisodes} episode slots are in use (${n} asked): close episodes, or retry later`, { 'retry-after': '1' });
    }
    this.used += n;
  }

  private async reset(r: ResetRequest): Promise<ResetResponse> {
    const task = r.task_id !== undefined ? this.tasks.get(r.task_id) : this.bySeed(r.seed!);
    if (!task) throw new HttpError(404, 'unknown_task', `no task ${JSON.stringify(r.task_id)} in this environment (GET /tasks lists them)`);
    this.acquire(1);
    let ep: Episode;
    try {
      ep = await Episode.open({ id: randomUUID(), task, sandbox: this.o.sandbox, root: this.root, timeoutMultiplier: this.o.timeoutMultiplier ?? 1, judge: this.o.judge, keep: this.o.keep });
    } catch (e) {
      this.used--;
      throw e;
    }
    this.episodes.set(ep.id, ep);
    return { episode_id: ep.id, task_id: task.spec.id, instruction: task.spec.instruction, tools: CLAW_TOOLS, system_prompt: ep.systemPrompt, cwd: task.spec.mount };
  }

  private bySeed(seed: number): Task | undefined {
    if (!this.order.length) return undefined;
    return this.order[Math.floor(new Rng(seed).next() * this.order.length)];
  }

  private episode(id: string): Episode {
    const ep = this.episodes.get(id);
    if (ep) return ep;
    const why = this.ended.get(id);
    if (why) throw new HttpError(410, 'episode_ended', `episode ${id} ended (${why})`);
    throw new HttpError(404, 'unknown_episode', `no episode ${id}`);
  }

  private async step(r: StepRequest): Promise<StepResponse> {
    const ep = this.episode(r.episode_id);
    const out = await ep.step(r.tool_call.name, r.tool_call.arguments, r.message);
    return { episode_id: ep.id, observation: out.observation, is_error: out.isError, step: out.step, ms: Math.round(out.ms) };
  }

  private async verify(r: { episode_id: string }): Promise<VerifyResponse> {
    const ep = this.episode(r.episode_id);
    const v = await ep.verify();
    return { episode_id: ep.id, task_id: ep.task.spec.id, reward: v.reward, passed: v.passed, error: v.error, error_kind: v.error_kind, details: v };
  }

  private async closeEpisode(r: { episode_id: string }): Promise<CloseResponse> {
    const ep = this.episode(r.episode_id);
    const trajectory = await this.end(ep, 'closed');
    return { episode_id: ep.id, closed: true, steps: ep.steps, trajectory };
  }

  private async end(ep: Episode, reason: 'closed' | 'idle' | 'shutdown') {
    // Forgotten first: no new request reaches an episode that is going away.
    if (this.episodes.delete(ep.id)) {
      this.used--;
      this.ended.set(ep.id, reason === 'idle' ? `reaped after ${this.o.idleTimeoutMs / 1000} s idle` : reason);
      if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.keys().next().value!);
    }
    return ep.close(reason);
  }

  private async reap(): Promise<void> {
    const now = Date.now();
    for (const ep of [...this.episodes.values()]) {
      if (ep.idle && now - ep.lastActive > this.o.idleTimeoutMs) {
        await this.end(ep, 'idle').catch((e) => this.o.log?.(`reaping ${ep.id}: ${errorMessage(e)}`));
      }
    }
  }

  private async rollout(r: RolloutRequest) {
    const task = this.tasks.get(r.task_id);
    if (!task) throw new HttpError(404, 'unknown_task', `no task ${JSON.stringify(r.task_id)} in this environment (GET /tasks lists them)`);
    if (r.n > this.o.maxEpisodes) throw new HttpError(400, 'invalid_request', `n: ${r.n} samples exceed this server's ${this.o.maxEpisodes} slots (--max-episodes)`);
    this.acquire(r.n);
    this.rolloutSamples += r.n;
    try {
      return await runRollout({ task, request: r, sandbox: this.o.sandbox, root: this.root, timeoutMultiplier: this.o.timeoutMultiplier ?? 1, judge: this.o.judge, keep: this.o.keep });
    } catch (e) {
      const he = toHttpError(e);
      throw new HttpError(he.status, he.type, redact(he.message, secretsOf([r.api_key])), he.headers);
    } finally {
      this.used -= r.n;
      this.rolloutSamples -= r.n;
    }
  }
}

function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof EpisodeStateError) return new HttpError(409, 'episode_state', e.message);
  if (e instanceof ClawgymError) {
    if (e.kind === 'usage') return new HttpError(400, 'invalid_request', e.message);
    if (e.kind === 'task') return new HttpError(422, 'task_error', e.message);
    // Our sandbox or infrastructure failed: worth retrying later.
    if (e.kind === 'harness') return new HttpError(503, 'harness_error', e.message, { 'retry-after': '5' });
  }
  return new HttpError(500, 'internal', errorMessage(e));
}
