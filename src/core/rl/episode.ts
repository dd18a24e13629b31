/**
 * One RL episode: a task's workspace materialized into its own folder, the claw agent's tools
 * (ToolExecutor) running each step in the episode's own sandbox, and the same verification as a
 * trial of `clawgym run`. Steps of one episode run one at a time, in the order they arrived.
 * The episode keeps what a claw trial keeps — the OpenClaw transcript (transcript checks and
 * grade() read it) and an ATIF trajectory — so rewards and exports match a run's.
 */
import { trialFile } from '../runs/folder.js';
import { lchown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentContext } from '../agents/agent.js';
import { openToolEnv } from '../agents/claw/claw.js';
import { loadWorkspaceContext } from '../agents/claw/bootstrap.js';
import { ToolExecutor } from '../agents/claw/executor.js';
import { systemPrompt } from '../agents/claw/prompt.js';
import { StepRecorder } from '../agents/claw/recording.js';
import type { ToolEnv } from '../agents/claw/tool-env.js';
import { ClawgymError } from '../errors.js';
import { CallRecorder } from '../llm/recorder.js';
import { EventLog } from '../trace/events.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Task } from '../task/task.js';
import type { AtifTrajectory } from '../trace/atif.js';
import { TrajectoryBuilder, writeTrajectory } from '../trace/builder.js';
import { VERSION } from '../version.js';
import type { RubricJudge } from '../verify/judge.js';
import type { VerifyResult } from '../verify/result.js';
import { TranscriptWriter } from '../trace/transcript.js';
import { verifyWorkspace } from '../verify/verify.js';
import { materializeFileSet } from '../workspace/copy.js';

export interface EpisodeOptions {
  id: string;
  task: Task;
  sandbox: Sandbox;
  /** Folder the episode's own folder is made in (reachable by the sandbox uid). */
  root: string;
  /** Scales the task's timeout, which bounds each step (and each verification script). */
  timeoutMultiplier: number;
  judge?: RubricJudge;
  /** Keep the episode folder (workspace, transcript, trajectory) after close. */
  keep?: boolean;
}

/** The request conflicts with the episode's state (a step after verify, or after close). */
export class EpisodeStateError extends ClawgymError {
  constructor(message: string) {
    super('usage', message);
  }
}

export class Episode {
  readonly id: string;
  readonly task: Task;
  readonly systemPrompt: string;
  /** Date.now() of the end of its last request. */
  lastActive = Date.now();
  steps = 0;
  private inFlight = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private state: 'open' | 'verified' | 'closed' = 'open';
  private verified: VerifyResult | undefined;
  private toolsOpen = true;

  private constructor(
    private readonly o: EpisodeOptions,
    readonly dir: string,
    readonly workspace: string,
    private readonly env: ToolEnv,
    private readonly executor: ToolExecutor,
    private readonly closeTools: () => Promise<void>,
    private readonly recorder: StepRecorder,
    private readonly transcript: TranscriptWriter,
    prompt: string,
  ) {
    this.id = o.id;
    this.task = o.task;
    this.systemPrompt = prompt;
  }

  static async open(o: EpisodeOptions): Promise<Episode> {
    const { task, sandbox } = o;
    const owner = sandbox.owner;
    const dir = await mkdtemp(join(o.root, 'episode-'));
    try {
      // Running as root, the sandbox drops to another uid: it must own what it works in.
      if (owner) await lchown(dir, owner.uid, owner.gid);
      const ws = trialFile(dir, 'workspace');
      await mkdir(ws);
      for (const set of task.workspace) await materializeFileSet(set, ws, owner);
      if (owner) await lchown(ws, owner.uid, owner.gid);
      const transcript = new TranscriptWriter(task.spec.mount);
      transcript.add('user', [{ type: 'text', text: task.spec.instruction }]);
      const events = new EventLog(null);
      const timeoutMs = stepTimeoutMs(o);
      const files = { trajectory: trialFile(dir, 'trajectory'), calls: trialFile(dir, 'calls'), snapshots: trialFile(dir, 'snapshots'), input: trialFile(dir, 'agentInput') };
      const ctx: AgentContext = { task, sandbox, owner, workspace: ws, trialDir: dir, files, timeoutMs, events, transcript };
      const { env, close } = await openToolEnv(ctx, performance.now() + timeoutMs, false);
      const recorder = new StepRecorder({
        trajectory: new TrajectoryBuilder(o.id, { name: 'clawgym-env', version: VERSION }),
        transcript,
        events,
        snapshots: null,
        path: files.trajectory,
      });
      const prompt = systemPrompt(await loadWorkspaceContext(ws, task.spec.mount), task.spec.mount);
      recorder.system(prompt);
      recorder.user(task.spec.instruction);
      return new Episode(o, dir, ws, env, new ToolExecutor(env), close, recorder, transcript, prompt);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** No request is being served: the idle reaper may close it. */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** One tool call, run after the episode's earlier ones. */
  step(name: string, args: Record<string, unknown> | string, message?: string): Promise<{ observation: string; isError: boolean; step: number; ms: number }> {
    return this.serial(async () => {
      if (this.state !== 'open') throw new EpisodeStateError(`episode ${this.id} is ${this.state}: no more steps`);
      // Each step may take as long as the task allows the whole agent run (the policy's thinking
      // time between steps is not the environment's to count).
      this.env.deadline = performance.now() + stepTimeoutMs(this.o);
      const step = ++this.steps;
      const id = `call_${step}`;
      const parsed = typeof args === 'string' ? parseObject(args) : args;
      const raw = typeof args === 'string' ? args : JSON.stringify(args);
      const atif = this.recorder.trajectory.agentStep({
        message: message ?? '',
        tool_calls: [{ tool_call_id: id, function_name: name, arguments: parsed ?? {}, ...(parsed ? {} : { extra: { raw_arguments: raw } }) }],
      });
      this.transcript.add('assistant', [...(message ? [{ type: 'text' as const, text: message }] : []), { type: 'toolCall', id, name, arguments: parsed ?? {} }]);
      const t0 = performance.now();
      const r = await this.executor.call(name, raw);
      const ms = performance.now() - t0;
      this.recorder.toolResult(step, atif, { id, name, arguments: parsed ?? raw }, r.text, r.isError, ms);
      return { observation: r.text, isError: r.isError, step, ms };
    });
  }

  /** The agent's part ends and the workspace is verified, as a trial's is. Asked again, the same result. */
  verify(): Promise<VerifyResult> {
    return this.serial(async () => {
      if (this.verified) return this.verified;
      if (this.state === 'closed') throw new EpisodeStateError(`episode ${this.id} is closed`);
      await this.stopTools();
      const transcriptPath = trialFile(this.dir, 'transcript');
      await writeFile(transcriptPath, this.transcript.toJsonl());
      const judge = this.o.judge;
      this.verified = await verifyWorkspace({
        task: this.task,
        workspace: this.workspace,
        sandbox: this.o.sandbox,
        owner: this.o.sandbox.owner,
        scratch: join(this.dir, 'verifier'),
        transcriptPath,
        timeoutMs: Math.max(60_000, stepTimeoutMs(this.o)),
        judge,
        judgeCalls: judge ? new CallRecorder(trialFile(this.dir, 'judgeCalls'), judge.client.secrets) : undefined,
      });
      this.state = 'verified';
      return this.verified;
    });
  }

  /** Free the sandbox and the folder; returns the episode's trajectory. Waits for a running step. */
  close(reason: 'closed' | 'idle' | 'shutdown' = 'closed'): Promise<AtifTrajectory> {
    return this.serial(async () => {
      if (this.state === 'closed') throw new EpisodeStateError(`episode ${this.id} is already closed`);
      this.state = 'closed';
      await this.stopTools();
      const t = this.recorder.trajectory;
      t.extra = { ...t.extra, task_id: this.task.spec.id, end_reason: reason, steps: this.steps, ...(this.verified ? { reward: this.verified.reward } : {}) };
      const trajectory = t.build();
      if (this.o.keep) writeTrajectory(trialFile(this.dir, 'trajectory'), trajectory);
      else await rm(this.dir, { recursive: true, force: true });
      return trajectory;
    });
  }

  private async stopTools(): Promise<void> {
    if (!this.toolsOpen) return;
    this.toolsOpen = false;
    await this.executor.close();
    await this.closeTools();
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
