/**
 * A claw session: what surrounds the claw agent's tools for one trial or RL episode — one sandbox
 * open for every tool call (persistent, see sandbox/persistent.ts), the private /tmp, workspace
 * snapshots, the system prompt built from the workspace (bootstrap files, skills), and the
 * recorder that writes the ATIF trajectory, the OpenClaw transcript and the events. The claw
 * agent's model loop, the replay agent and an RL episode all drive one of these, so each gets the
 * same tools, the same records and the same isolation.
 */
import { randomUUID } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxSession } from '../../sandbox/sandbox.js';
import type { AtifStep } from '../../trace/atif.js';
import { TrajectoryBuilder } from '../../trace/builder.js';
import type { AgentEndReason } from '../../trace/events.js';
import { WorkspaceSnapshots } from '../../workspace/snapshots.js';
import type { AgentContext } from '../agent.js';
import { loadWorkspaceContext } from './bootstrap.js';
import { ToolExecutor, type ToolCallResult } from './executor.js';
import { systemPrompt } from './prompt.js';
import { StepRecorder, type RecordedCall } from './recording.js';
import type { ToolEnv } from './tool-env.js';
import { DEFAULT_TOOL_PROFILE, type ToolProfile } from '../spec.js';
import { toolsOf } from './tools.js';

export interface ClawSessionOptions {
  /** Who the trajectory says acted (ATIF `agent`). */
  agent: { name: string; version: string; model_name?: string };
  /** ATIF session id (default: a fresh UUID). */
  sessionId?: string;
  /** Take a git snapshot of the workspace after each step that may have changed it (default true). */
  snapshots?: boolean;
  /** Cut out of the trajectory (an error message could echo a key). */
  secrets?: readonly string[];
  /** What the trajectory records as the system prompt (default: the claw prompt, as the model sees it). */
  recordedSystem?: string;
  /** The tool profile offered to the model (default `coding`). */
  toolProfile?: ToolProfile;
}

/** A tool call as a policy sent it: the arguments as parsed, and the text they came as. */
export interface PolicyCall extends RecordedCall {
  raw: string;
}

export interface CallOutcome extends ToolCallResult {
  ms: number;
}

export class ClawSession {
  /** The OpenClaw tool schemas the model is offered (the profile's). */
  readonly tools: ReturnType<typeof toolsOf>;
  private closed = false;

  private constructor(
    private readonly env: ToolEnv,
    readonly executor: ToolExecutor,
    readonly recorder: StepRecorder,
    /** The claw system prompt for this workspace (bootstrap files and skills included). */
    readonly systemPrompt: string,
    private readonly tmp: string,
    readonly toolProfile: ToolProfile = DEFAULT_TOOL_PROFILE,
  ) {
    this.tools = toolsOf(toolProfile);
  }

  /**
   * Open the session for a trial's context: the sandbox (workspace at the task's mount, a private
   * /tmp), snapshot 0, the system prompt, and the first two records (system prompt, instruction).
   */
  static async open(ctx: AgentContext, o: ClawSessionOptions): Promise<ClawSession> {
    const mount = ctx.task.spec.mount;
    // A /tmp of the session's own on the host disk (not the sandbox's memory-backed one): it lasts as long as the session.
    const tmp = await mkdtemp(join(tmpdir(), 'clawgym-agent-tmp-'));
    let sandbox: SandboxSession | undefined;
    try {
      if (ctx.owner) await chown(tmp, ctx.owner.uid, ctx.owner.gid);
      sandbox = await ctx.sandbox.open({ workspace: ctx.workspace, mount, binds: [{ host: tmp, dest: '/tmp', readOnly: false }] });
      const env: ToolEnv = { sandbox, mount, deadline: performance.now() + ctx.timeoutMs, signal: ctx.signal };
      let snapshots: WorkspaceSnapshots | null = null;
      if (o.snapshots ?? true) {
        snapshots = await WorkspaceSnapshots.create(ctx.files.snapshots, ctx.workspace);
        const s0 = await snapshots.take('step 0: the workspace as materialized');
        if (s0) ctx.events.emit({ type: 'snapshot', step: 0, commit: s0.commit, changed: [] });
      }
      const recorder = new StepRecorder({
        trajectory: new TrajectoryBuilder(o.sessionId ?? randomUUID(), o.agent),
        transcript: ctx.transcript,
        events: ctx.events,
        snapshots,
        path: ctx.files.trajectory,
        secrets: o.secrets,
      });
      const prompt = systemPrompt(await loadWorkspaceContext(ctx.workspace, mount), mount);
      recorder.system(o.recordedSystem ?? prompt);
      recorder.user(ctx.task.spec.instruction);
      return new ClawSession(env, new ToolExecutor(env, o.toolProfile), recorder, prompt, tmp, o.toolProfile);
    } catch (e) {
      await sandbox?.close();
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /** performance.now() by which each tool call must end. An episode moves it each step. */
  get deadline(): number {
    return this.env.deadline;
  }

  set deadline(t: number) {
    this.env.deadline = t;
  }

  /** One sandbox for all calls (or a sandbox per call, where the supervisor cannot run). */
  get persistentSandbox(): boolean {
    return this.env.sandbox.persistent;
  }

  /** Run one tool call of `step` and record its result. */
  async call(step: number, atif: AtifStep, c: PolicyCall): Promise<CallOutcome> {
    const t0 = performance.now();
    const res = await this.executor.call(c.name, c.raw);
    const ms = performance.now() - t0;
    this.recorder.toolResult(step, atif, c, res.text, res.isError, ms);
    return { ...res, ms };
  }

  /** End a step: a snapshot when files may have changed, then the step's timing. */
  async endStep(step: number, atif: AtifStep | null, t: { started: number; llmMs: number; toolsMs: number; mutated: boolean }): Promise<void> {
    const t2 = performance.now();
    const commit = t.mutated ? await this.recorder.snapshot(step) : null;
    const t3 = performance.now();
    this.recorder.stepEnd(step, atif, { step_ms: t3 - t.started, llm_ms: t.llmMs, tools_ms: t.toolsMs, snapshot_ms: t3 - t2 }, commit);
  }

  /**
   * A step decided outside a model call here (an RL policy's action): the agent's message and tool
   * calls recorded as the agent's step, each call run in order, then the step ended.
   */
  async act(step: number, message: string, calls: PolicyCall[], extra: Record<string, unknown> = {}): Promise<CallOutcome[]> {
    const started = performance.now();
    this.recorder.stepStart(step);
    const atif = this.recorder.replayed(step, message, calls, extra);
    const out: CallOutcome[] = [];
    for (const c of calls) out.push(await this.call(step, atif, c));
    await this.endStep(step, atif, { started, llmMs: 0, toolsMs: out.reduce((a, r) => a + r.ms, 0), mutated: out.some((r) => r.mutated === true) });
    return out;
  }

  /** The agent's part is over: the trajectory is written and the end announced. */
  finish(reason: AgentEndReason, steps: number, message: string | null, extra: Record<string, unknown> = {}): void {
    this.recorder.finish(reason, steps, message, extra);
  }

  /** End every background command and the sandbox, and remove the private /tmp. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.executor.close();
    } finally {
      await this.env.sandbox.close();
      await rm(this.tmp, { recursive: true, force: true });
    }
  }
}
