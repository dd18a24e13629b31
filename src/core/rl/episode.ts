/**
 * One RL episode: a task's workspace in a folder of its own, a claw session over it (the claw
 * agent's tools in one sandbox that lasts the episode, the OpenClaw transcript, the ATIF
 * trajectory), and the same verification as a trial of `clawgym run` — so the same actions get
 * the same reward, and the trajectory replays (`clawgym run --agent replay`) to it. Requests for
 * one episode run one at a time, in the order they arrived.
 */
import { lchown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentContext } from '../agents/agent.js';
import { ClawSession, type CallOutcome } from '../agents/claw/session.js';
import { ClawgymError } from '../errors.js';
import { agentFiles, trialFile } from '../runs/folder.js';
import { verifyTrialWorkspace } from '../runs/trial.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Task } from '../task/task.js';
import type { AtifTrajectory } from '../trace/atif.js';
import { EventLog } from '../trace/events.js';
import { TranscriptWriter } from '../trace/transcript.js';
import { VERSION } from '../version.js';
import type { RubricJudge } from '../verify/judge.js';
import type { VerifyResult } from '../verify/result.js';
import { materializeFileSet, materializeWorkspace } from '../workspace/copy.js';
import type { Group } from './groups.js';

export interface EpisodeOptions {
  id: string;
  task: Task;
  sandbox: Sandbox;
  /** Folder the episode's own folder is made in (reachable by the sandbox uid). */
  root: string;
  /** Scales the task's timeout, which bounds each step (and each verification script). */
  timeoutMultiplier: number;
  /** Tool calls at most: the one that reaches it ends the episode (verified). */
  maxSteps: number;
  judge?: RubricJudge;
  /** Keep the episode folder (workspace, transcript, trajectory) after close. */
  keep?: boolean;
  /** The seed that picked the task, if one did (reported in the state). */
  seed?: number | null;
  /** A GRPO group this episode belongs to: it starts from the group's workspace and reports to it. */
  group?: Group;
}

/** How the agent's part ended: an explicit finish, its final message, the step limit, or a native /verify. */
export type FinishReason = 'finish' | 'message' | 'max_steps' | 'verify';
export type CloseReason = 'closed' | 'idle' | 'shutdown' | 'disconnected';

/** The request conflicts with the episode's state (a step after it ended, or after close). */
export class EpisodeStateError extends ClawgymError {
  constructor(message: string) {
    super('usage', message);
  }
}

export interface StepOutcome extends CallOutcome {
  step: number;
  /** This step reached the step limit: the episode has ended and been verified. */
  finished: VerifyResult | null;
}

export interface EpisodeState {
  episode_id: string;
  step_count: number;
  task_id: string;
  done: boolean;
  reward: number | null;
  seed: number | null;
  group_id: string | null;
  max_steps: number;
  end_reason: string | null;
}

export class Episode {
  readonly id: string;
  readonly task: Task;
  /** Date.now() of the end of its last request. */
  lastActive = Date.now();
  steps = 0;
  private inFlight = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private phase: 'open' | 'verified' | 'closed' = 'open';
  private verified: VerifyResult | undefined;
  private ended: FinishReason | CloseReason | null = null;
  private toolsOpen = true;
  /** The code checks' score after the last scored step (dense rewards; 0 before the first). */
  potential = 0;

  private constructor(
    private readonly o: EpisodeOptions,
    readonly dir: string,
    readonly workspace: string,
    private readonly session: ClawSession,
    private readonly transcript: TranscriptWriter,
  ) {
    this.id = o.id;
    this.task = o.task;
  }

  static async open(o: EpisodeOptions): Promise<Episode> {
    const { task, sandbox } = o;
    const owner = sandbox.owner;
    const dir = await mkdtemp(join(o.root, 'episode-'));
    try {
      // Running as root, the sandbox drops to another uid: it must own what it works in.
      if (owner) await lchown(dir, owner.uid, owner.gid);
      const ws = trialFile(dir, 'workspace');
      if (o.group) {
        await mkdir(ws);
        await materializeFileSet({ kind: 'dir', root: o.group.template }, ws, owner);
        if (owner) await lchown(ws, owner.uid, owner.gid);
      } else await materializeWorkspace(task, ws, owner);
      const transcript = new TranscriptWriter(task.spec.mount);
      transcript.add('user', [{ type: 'text', text: task.spec.instruction }]);
      const ctx: AgentContext = { task, sandbox, owner, workspace: ws, trialDir: dir, files: agentFiles(dir), timeoutMs: stepTimeoutMs(o), events: new EventLog(null), transcript };
      const session = await ClawSession.open(ctx, { agent: { name: 'clawgym-env', version: VERSION }, sessionId: o.id, snapshots: false });
      return new Episode(o, dir, ws, session, transcript);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The claw agent's system prompt for this workspace (bootstrap files and skills included). */
  get systemPrompt(): string {
    return this.session.systemPrompt;
  }

  get tools() {
    return this.session.tools;
  }

  get group(): Group | undefined {
    return this.o.group;
  }

  get maxSteps(): number {
    return this.o.maxSteps;
  }

  /** No request is being served: the idle reaper may close it. */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  /** The agent's part is over (verified or closed): no more steps. */
  get done(): boolean {
    return this.phase !== 'open';
  }

  get result(): VerifyResult | undefined {
    return this.verified;
  }

  state(): EpisodeState {
    return {
      episode_id: this.id,
      step_count: this.steps,
      task_id: this.task.spec.id,
      done: this.done,
      reward: this.verified?.reward ?? null,
      seed: this.o.seed ?? null,
      group_id: this.o.group?.id ?? null,
      max_steps: this.o.maxSteps,
      end_reason: this.ended,
    };
  }

  /**
   * One tool call, after the episode's earlier requests. It may take as long as the task allows
   * the whole agent run (or `timeoutMs`, when shorter): the policy's thinking time between steps
   * is not the environment's to count. The call that reaches the step limit ends the episode.
   */
  step(name: string, args: Record<string, unknown> | string, message?: string, o: { timeoutMs?: number } = {}): Promise<StepOutcome> {
    return this.serial(async () => {
      if (this.phase !== 'open') throw new EpisodeStateError(`episode ${this.id} has ${this.phase === 'closed' ? 'been closed' : 'ended'}: no more steps`);
      this.session.deadline = performance.now() + Math.min(stepTimeoutMs(this.o), o.timeoutMs ?? Infinity);
      const step = ++this.steps;
      const raw = typeof args === 'string' ? args : JSON.stringify(args);
      const parsed = typeof args === 'string' ? parseObject(args) : args;
      const [out] = await this.session.act(step, message ?? '', [{ id: `call_${step}`, name, arguments: parsed ?? raw, raw }]);
      const finished = this.steps >= this.o.maxSteps ? await this.verifyNow('max_steps') : null;
      return { ...out!, step, finished };
    });
  }

  /**
   * The agent's part ends (its final message, if any, kept as its last turn) and the workspace is
   * verified, as a trial's is. Asked again, the same result.
   */
  finish(reason: FinishReason, message?: string): Promise<VerifyResult> {
    return this.serial(async () => {
      if (this.verified) return this.verified;
      if (this.phase === 'closed') throw new EpisodeStateError(`episode ${this.id} is closed`);
      if (message) {
        const r = this.session.recorder;
        r.replayed(this.steps + 1, message, [], {});
      }
      return this.verifyNow(reason);
    });
  }

  /**
   * Dense reward: score the workspace as it is now with the code checks (on a copy, so hidden
   * verifier files never reach the agent's workspace; the rubric judge is not asked), and return
   * how much the score moved since the last time.
   */
  progress(): Promise<number> {
    return this.serial(async () => {
      if (this.phase !== 'open') return 0;
      const copy = join(this.dir, 'progress');
      await rm(copy, { recursive: true, force: true });
      await mkdir(copy);
      await materializeFileSet({ kind: 'dir', root: this.workspace }, copy, this.o.sandbox.owner);
      if (this.o.sandbox.owner) await lchown(copy, this.o.sandbox.owner.uid, this.o.sandbox.owner.gid);
      await writeFile(trialFile(this.dir, 'transcript'), this.transcript.toJsonl());
      const v = await verifyTrialWorkspace({ task: this.task, dir: this.dir, workspace: copy, sandbox: this.o.sandbox, timeoutMs: stepTimeoutMs(this.o) });
      await rm(copy, { recursive: true, force: true });
      const score = v.code.score ?? v.reward;
      const delta = score - this.potential;
      this.potential = score;
      return delta;
    });
  }

  /** The native API's /verify: finish without a message. */
  verify(): Promise<VerifyResult> {
    return this.finish('verify');
  }

  /** Free the sandbox and the folder; returns the episode's trajectory. Waits for a running step. */
  close(reason: CloseReason = 'closed'): Promise<AtifTrajectory> {
    return this.serial(async () => {
      if (this.phase === 'closed') throw new EpisodeStateError(`episode ${this.id} is already closed`);
      this.phase = 'closed';
      this.ended ??= reason;
      await this.stopTools();
      const extra = { task_id: this.task.spec.id, end_reason: this.ended, steps: this.steps, ...(this.o.seed != null ? { seed: this.o.seed } : {}), ...(this.o.group ? { group_id: this.o.group.id } : {}), ...(this.verified ? { reward: this.verified.reward } : {}) };
      this.session.finish(this.verified ? 'model_stopped' : 'interrupted', this.steps, null, extra);
      const trajectory = this.session.recorder.trajectory.build();
      await this.o.group?.closed(this.id, reason, trajectory);
      if (!this.o.keep) await rm(this.dir, { recursive: true, force: true });
      return trajectory;
    });
  }

  private async verifyNow(reason: FinishReason): Promise<VerifyResult> {
    await this.stopTools();
    this.ended = reason;
    const transcriptPath = trialFile(this.dir, 'transcript');
    await writeFile(transcriptPath, this.transcript.toJsonl());
    this.verified = await verifyTrialWorkspace({ task: this.task, dir: this.dir, workspace: this.workspace, sandbox: this.o.sandbox, timeoutMs: stepTimeoutMs(this.o), judge: this.o.judge });
    this.phase = 'verified';
    this.o.group?.finished(this.id, { reward: this.verified.reward, passed: this.verified.passed, error: this.verified.error, end_reason: reason, steps: this.steps });
    return this.verified;
  }

  private async stopTools(): Promise<void> {
    if (!this.toolsOpen) return;
    this.toolsOpen = false;
    await this.session.close();
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    this.inFlight++;
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => {});
    return run.finally(() => {
      this.inFlight--;
      this.lastActive = Date.now();
    });
  }
}

function stepTimeoutMs(o: EpisodeOptions): number {
  return o.task.spec.timeout_sec * 1000 * o.timeoutMultiplier;
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(raw || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
