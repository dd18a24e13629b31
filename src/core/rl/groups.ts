/**
 * GRPO groups: n episodes of one task that start from one materialized workspace (copied for each
 * member, so every member starts from the same bytes even if the task folder changes meanwhile),
 * whose rewards are gathered together and whose trajectories are kept (written beside the group's
 * template; returned with the group).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClawgymError } from '../errors.js';
import type { Task } from '../task/task.js';
import type { AtifTrajectory } from '../trace/atif.js';
import { materializeFileSet, type Owner } from '../workspace/copy.js';

export interface MemberResult {
  reward: number;
  passed: boolean;
  error: string | null;
  /** Why the episode ended (finish, message, max_steps, timeout, closed, idle, shutdown). */
  end_reason: string;
  steps: number;
}

interface Member {
  index: number;
  episode_id: string;
  result: MemberResult | null;
  /** Ended without a verification (closed, reaped, disconnected before finishing). */
  abandoned: string | null;
  trajectory: boolean;
}

export interface GroupSummary {
  group_id: string;
  task_id: string;
  size: number;
  joined: number;
  finished: number;
  /** Every member has ended (verified or abandoned). */
  done: boolean;
  /** One per member, in the order they joined; null while running or when abandoned. */
  rewards: Array<number | null>;
  mean_reward: number | null;
  members: Array<{ index: number; episode_id: string; reward: number | null; passed: boolean | null; end_reason: string | null; steps: number | null; error: string | null; trajectory?: AtifTrajectory | null }>;
}

export class Group {
  private readonly members: Member[] = [];
  private waiters: Array<() => void> = [];
  readonly created = Date.now();
  ended = 0;

  private constructor(
    readonly id: string,
    readonly task: Task,
    readonly size: number,
    /** The group's folder: template/ (the starting workspace) and one trajectory per member. */
    readonly dir: string,
  ) {}

  /** Make the group's folder and materialize the starting workspace once. */
  static async create(id: string, task: Task, size: number, dir: string, owner?: Owner): Promise<Group> {
    const template = join(dir, 'template');
    await mkdir(template, { recursive: true });
    for (const set of task.workspace) await materializeFileSet(set, template, owner);
    return new Group(id, task, size, dir);
  }

  /** The starting workspace every member copies. */
  get template(): string {
    return join(this.dir, 'template');
  }

  get full(): boolean {
    return this.members.length >= this.size;
  }

  get done(): boolean {
    return this.members.length >= this.size && this.members.every((m) => m.result || m.abandoned);
  }

  /** A member joins; its index in the group. */
  join(episodeId: string): number {
    if (this.full) throw new ClawgymError('usage', `group ${this.id} already has its ${this.size} members`);
    const index = this.members.length;
    this.members.push({ index, episode_id: episodeId, result: null, abandoned: null, trajectory: false });
    return index;
  }

  /** A member could not start after all: its place is free again. */
  leave(episodeId: string, why: string): void {
    const i = this.members.findIndex((m) => m.episode_id === episodeId);
    if (i < 0) return;
    if (i === this.members.length - 1) this.members.pop();
    else if (!this.members[i]!.abandoned) {
      this.members[i]!.abandoned = why;
      this.ended++;
      this.wake();
    }
  }

  finished(episodeId: string, result: MemberResult): void {
    const m = this.member(episodeId);
    if (!m || m.result) return;
    m.result = result;
    this.ended++;
    this.wake();
  }

  /** The member ended; its trajectory goes beside the template. Ended without a result: abandoned. */
  async closed(episodeId: string, reason: string, trajectory: AtifTrajectory): Promise<void> {
    const m = this.member(episodeId);
    if (!m) return;
    await writeFile(join(this.dir, `${m.index}.trajectory.json`), JSON.stringify(trajectory));
    m.trajectory = true;
    if (!m.result && !m.abandoned) {
      m.abandoned = reason;
      this.ended++;
    }
    this.wake();
  }

  /** Resolves when every member has ended, or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.done || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const waiters = this.waiters;
      function done() {
        clearTimeout(t);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  async summary(withTrajectories = false): Promise<GroupSummary> {
    const rewards = this.members.map((m) => m.result?.reward ?? null);
    const scored = rewards.filter((r): r is number => r !== null);
    const members = await Promise.all(
      this.members.map(async (m) => ({
        index: m.index,
        episode_id: m.episode_id,
        reward: m.result?.reward ?? null,
        passed: m.result?.passed ?? null,
        end_reason: m.result?.end_reason ?? m.abandoned,
        steps: m.result?.steps ?? null,
        error: m.result?.error ?? (m.abandoned ? `ended without finishing (${m.abandoned})` : null),
        ...(withTrajectories ? { trajectory: m.trajectory ? (JSON.parse(await readFile(join(this.dir, `${m.index}.trajectory.json`), 'utf8')) as AtifTrajectory) : null } : {}),
      })),
    );
    return {
      group_id: this.id,
      task_id: this.task.spec.id,
      size: this.size,
      joined: this.members.length,
      finished: scored.length,
      done: this.done,
      rewards,
      mean_reward: scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : null,
      members,
    };
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private member(episodeId: string): Member | undefined {
    return this.members.find((m) => m.episode_id === episodeId);
  }

  private wake(): void {
    if (!this.done) return;
    for (const w of [...this.waiters]) w();
  }
}
