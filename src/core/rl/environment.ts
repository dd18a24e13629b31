/**
 * The RL environment behind every protocol the server speaks (the native HTTP API, OpenEnv's
 * WebSocket sessions, one-shot HTTP, MCP): the tasks, the episode slots they share, the open
 * episodes, the GRPO groups, and the reaper of whatever sits idle. Transports hold slots and
 * episodes through it and map its errors to their own shapes.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClawgymError, errorMessage } from '../errors.js';
import { Rng } from '../rng.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Task } from '../task/task.js';
import type { AtifTrajectory } from '../trace/atif.js';
import type { RubricJudge } from '../verify/judge.js';
import { Episode, type CloseReason } from './episode.js';
import { Group } from './groups.js';

export interface EnvironmentOptions {
  tasks: Task[];
  sandbox: Sandbox;
  /** Slots: open episodes, WebSocket and MCP sessions, running rollout samples, at most. */
  maxEpisodes: number;
  /** Whatever holds a slot with no request for this long is closed. */
  idleTimeoutMs: number;
  /** Tool calls per episode at most (the call that reaches it ends the episode, verified). */
  maxSteps: number;
  /** Where episode, group and rollout folders go (default: a fresh folder in the temp dir). */
  workDir?: string;
  timeoutMultiplier?: number;
  judge?: RubricJudge;
  /** Keep episode and rollout folders after they end. */
  keep?: boolean;
  log?: (line: string) => void;
}

/** Every slot is taken. */
export class CapacityError extends ClawgymError {
  constructor(
    readonly active: number,
    readonly max: number,
    asked: number,
  ) {
    super('usage', `${active} of ${max} episode slots are in use (${asked} asked): close episodes, or retry later`);
  }
}

export class UnknownTaskError extends ClawgymError {
  constructor(id: string) {
    super('usage', `no task ${JSON.stringify(id)} in this environment (GET /tasks lists them)`);
  }
}

export class UnknownEpisodeError extends ClawgymError {
  constructor(
    id: string,
    /** Why it ended, when it existed. */
    readonly ended: string | null,
  ) {
    super('usage', ended ? `episode ${id} ended (${ended})` : `no episode ${id}`);
  }
}

export class UnknownGroupError extends ClawgymError {
  constructor(id: string) {
    super('usage', `no group ${id} (groups are kept until ${GROUP_MEMORY} newer ones have finished)`);
  }
}

/** Something that holds a slot and can be reaped: an episode of the native API, a WebSocket or MCP session. */
export interface Holder {
  readonly lastActive: number;
  /** No request of its own is being served. */
  readonly idle: boolean;
  reap(why: 'idle' | 'shutdown'): Promise<void>;
}

/** Ended episodes and groups remembered, so a late request hears "ended" rather than "unknown". */
const ENDED_MEMORY = 10_000;
const GROUP_MEMORY = 1_000;

export interface EpisodeSelection {
  task_id?: string;
  seed?: number;
  episode_id?: string;
  group_id?: string;
  group_size?: number;
}

export class Environment {
  readonly tasks = new Map<string, Task>();
  /** Sorted by id: a seed picks the same task wherever the same pool is served. */
  readonly order: Task[];
  private readonly episodes = new Map<string, Episode>();
  private readonly ended = new Map<string, string>();
  private readonly groups = new Map<string, Group>();
  private readonly creating = new Map<string, Promise<Group>>();
  private readonly holders = new Set<Holder>();
  /** Episodes whose slot belongs to a session (a WebSocket): the session releases it and reaps them. */
  private readonly inSession = new Set<string>();
  private used = 0;
  rolloutSamples = 0;
  private reaper: NodeJS.Timeout | undefined;
  root = '';
  private ownRoot = false;

  constructor(readonly o: EnvironmentOptions) {
    for (const t of o.tasks) this.tasks.set(t.spec.id, t);
    this.order = [...o.tasks].sort((a, b) => (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0));
  }

  async start(): Promise<void> {
    if (this.o.workDir) this.root = this.o.workDir;
    else {
      this.root = await mkdtemp(join(tmpdir(), 'clawgym-env-'));
      this.ownRoot = true;
    }
    // The sandbox uid (when we run as root) must reach the episode folders below.
    await chmod(this.root, 0o755);
    const every = Math.max(200, Math.min(5000, this.o.idleTimeoutMs / 4));
    this.reaper = setInterval(() => void this.reap(), every);
    this.reaper.unref();
  }

  /** Close every episode and session; nothing of them is left running. */
  async stop(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.allSettled([...this.holders].map((h) => h.reap('shutdown')));
    await Promise.allSettled([...this.episodes.values()].map((e) => this.end(e, 'shutdown')));
    if (this.ownRoot && !this.o.keep) await rm(this.root, { recursive: true, force: true });
  }

  get slots() {
    return { used: this.used, max: this.o.maxEpisodes, open: this.episodes.size, rollout_samples: this.rolloutSamples };
  }

  /** Hold `n` slots, or a CapacityError. */
  acquire(n: number): void {
    if (this.used + n > this.o.maxEpisodes) throw new CapacityError(this.used, this.o.maxEpisodes, n);
    this.used += n;
  }

  /** `n` slots are free now (a CapacityError otherwise); nothing is held. */
  ensureRoom(n: number): void {
    if (this.used + n > this.o.maxEpisodes) throw new CapacityError(this.used, this.o.maxEpisodes, n);
  }

  release(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  /** A holder's slot is reaped with it when idle longer than the idle timeout. */
  hold(h: Holder): () => void {
    this.holders.add(h);
    return () => this.holders.delete(h);
  }

  /** A task by id, or by seed (deterministic), or at random; with the seed that picked it. */
  pick(sel: { task_id?: string; seed?: number }): { task: Task; seed: number | null } {
    if (sel.task_id !== undefined) {
      const task = this.tasks.get(sel.task_id);
      if (!task) throw new UnknownTaskError(sel.task_id);
      return { task, seed: sel.seed ?? null };
    }
    if (!this.order.length) throw new UnknownTaskError('(any)');
    const seed = sel.seed ?? randomInt(0, 2 ** 31 - 1);
    return { task: this.order[Math.floor(new Rng(seed).next() * this.order.length)]!, seed };
  }

  /**
   * Open an episode. `slotHeld`: the caller (a WebSocket session) already holds its slot;
   * otherwise one is taken here and given back when the episode ends. A group id joins (or
   * starts) a GRPO group: the task is the group's, the workspace its template.
   */
  async openEpisode(sel: EpisodeSelection, o: { slotHeld: boolean }): Promise<Episode> {
    const id = sel.episode_id ?? randomUUID();
    if (this.episodes.has(id)) throw new ClawgymError('usage', `episode ${id} is open already: pick another episode_id`);
    let group: Group | undefined;
    let picked: { task: Task; seed: number | null };
    if (sel.group_id !== undefined) {
      group = await this.joinGroup(sel);
      picked = { task: group.task, seed: sel.seed ?? null };
    } else picked = this.pick(sel);
    group?.join(id);
    try {
      if (!o.slotHeld) this.acquire(1);
    } catch (e) {
      group?.leave(id, 'no slot');
      throw e;
    }
    let ep: Episode;
    try {
      ep = await Episode.open({ id, task: picked.task, sandbox: this.o.sandbox, root: this.root, timeoutMultiplier: this.o.timeoutMultiplier ?? 1, maxSteps: this.o.maxSteps, judge: this.o.judge, keep: this.o.keep, seed: picked.seed, group });
    } catch (e) {
      if (!o.slotHeld) this.release(1);
      group?.leave(id, `could not start: ${errorMessage(e)}`);
      throw e;
    }
    this.episodes.set(id, ep);
    if (o.slotHeld) this.inSession.add(id);
    return ep;
  }

  /** An open episode, or why not. */
  episode(id: string): Episode {
    const ep = this.episodes.get(id);
    if (ep) return ep;
    throw new UnknownEpisodeError(id, this.ended.get(id) ?? null);
  }

  /** Close an episode (forgotten first: no new request reaches one that is going away). */
  async end(ep: Episode, reason: CloseReason): Promise<AtifTrajectory> {
    if (this.episodes.delete(ep.id)) {
      if (!this.inSession.delete(ep.id)) this.release(1);
      this.ended.set(ep.id, reason === 'idle' ? `reaped after ${this.o.idleTimeoutMs / 1000} s idle` : reason);
      if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.keys().next().value!);
    }
    return ep.close(reason);
  }

  get openEpisodes(): number {
    return this.episodes.size;
  }

  // ── GRPO groups ─────────────────────────────────────────────────────────────

  /** A group of `size` episodes of one task; the id is the caller's or a fresh one. */
  async createGroup(sel: { task_id?: string; seed?: number; group_id?: string }, size: number): Promise<Group> {
    const id = sel.group_id ?? randomUUID();
    if (this.groups.has(id) || this.creating.has(id)) throw new ClawgymError('usage', `group ${id} exists already`);
    const { task } = this.pick(sel);
    // Members arriving while the template is made wait for it rather than make a second group.
    const making = (async () => Group.create(id, task, size, await mkdtemp(join(this.root, 'group-')), this.o.sandbox.owner))();
    this.creating.set(id, making);
    try {
      const group = await making;
      this.groups.set(id, group);
      await this.forgetOldGroups();
      return group;
    } finally {
      this.creating.delete(id);
    }
  }

  group(id: string): Group {
    const g = this.groups.get(id);
    if (!g) throw new UnknownGroupError(id);
    return g;
  }

  /** A group that could not get its members is forgotten with its folder. */
  async dropGroup(g: Group): Promise<void> {
    this.groups.delete(g.id);
    await g.remove();
  }

  private async joinGroup(sel: EpisodeSelection): Promise<Group> {
    const id = sel.group_id!;
    const existing = this.groups.get(id) ?? (await this.creating.get(id));
    const group = existing ?? (await this.createGroup(sel, sel.group_size ?? 1));
    if (sel.task_id !== undefined && sel.task_id !== group.task.spec.id) throw new ClawgymError('usage', `group ${group.id} is of task ${group.task.spec.id}, not ${sel.task_id}`);
    if (sel.group_size !== undefined && sel.group_size !== group.size) throw new ClawgymError('usage', `group ${group.id} has ${group.size} members, not ${sel.group_size}`);
    if (group.full) throw new ClawgymError('usage', `group ${group.id} already has its ${group.size} members`);
    return group;
  }

  /** Finished groups beyond the memory are forgotten, oldest first, with their folders. */
  private async forgetOldGroups(): Promise<void> {
    if (this.groups.size <= GROUP_MEMORY) return;
    for (const [id, g] of this.groups) {
      if (this.groups.size <= GROUP_MEMORY) break;
      if (!g.done) continue;
      this.groups.delete(id);
      if (!this.o.keep) await g.remove();
    }
  }

  // ── reaping ────────────────────────────────────────────────────────────────

  private async reap(): Promise<void> {
    const now = Date.now();
    const limit = this.o.idleTimeoutMs;
    for (const h of [...this.holders]) {
      if (h.idle && now - h.lastActive > limit) await h.reap('idle').catch((e) => this.o.log?.(`reaping a session: ${errorMessage(e)}`));
    }
    for (const ep of [...this.episodes.values()]) {
      if (this.inSession.has(ep.id)) continue; // its session reaps it
      if (ep.idle && now - ep.lastActive > limit) await this.end(ep, 'idle').catch((e) => this.o.log?.(`reaping ${ep.id}: ${errorMessage(e)}`));
    }
  }
}
