/**
 * The `claw` agent: ClawGym's OpenClaw-compatible tool loop over any OpenAI-compatible endpoint.
 * Every tool runs in the trial's sandbox; the run leaves trajectory.json (ATIF), events,
 * the transcript, llm/calls.jsonl (redacted) and snapshots.git behind in the trial folder.
 */
import { randomUUID } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { resolveLlmSettings, type LlmSettings } from '../../llm/config.js';
import { LlmClient, type ClientDeps } from '../../llm/client.js';
import { CallRecorder } from '../../llm/recorder.js';
import { TrajectoryBuilder } from '../../trace/builder.js';
import { VERSION } from '../../version.js';
import { WorkspaceSnapshots } from '../../workspace/snapshots.js';
import type { Agent, AgentContext, AgentOutcome } from '../agent.js';
import { loadWorkspaceContext } from './bootstrap.js';
import { ToolExecutor } from './executor.js';
import { runToolLoop, type LoopResult } from './loop.js';
import { systemPrompt } from './prompt.js';
import { StepRecorder } from './recording.js';
import type { ToolEnv } from './tool-env.js';
import { CLAW_TOOLS } from './tools.js';

export interface ClawOptions {
  model?: string;
  baseUrl?: string;
  configPath?: string;
  /** Used as given, instead of flags + environment + config file (the RL server: the caller's key only). */
  settings?: LlmSettings;
  maxSteps?: number;
  /** Prompt + completion tokens over the run. */
  maxTokens?: number;
  /** Stream responses (default true). */
  stream?: boolean;
  /** Take workspace snapshots (default true). */
  snapshots?: boolean;
  client?: ClientDeps;
}

export const DEFAULT_MAX_STEPS = 50;

/** What every tool-running agent needs around a trial: the sandbox env, snapshots, a shared /tmp. */
export async function openToolEnv(ctx: AgentContext, deadline: number, withSnapshots: boolean) {
  // A /tmp that persists across the agent's commands (each runs in its own sandbox).
  const tmp = await mkdtemp(join(tmpdir(), 'clawgym-agent-tmp-'));
  if (ctx.owner) await chown(tmp, ctx.owner.uid, ctx.owner.gid);
  const env: ToolEnv = { sandbox: ctx.sandbox, workspace: ctx.workspace, mount: ctx.task.spec.mount, binds: [{ host: tmp, dest: '/tmp', readOnly: false }], deadline, signal: ctx.signal };
  let snapshots: WorkspaceSnapshots | null = null;
  if (withSnapshots) {
    snapshots = await WorkspaceSnapshots.create(ctx.files.snapshots, ctx.workspace);
    const s0 = await snapshots.take('step 0: the workspace as materialized');
    if (s0) ctx.events.emit({ type: 'snapshot', step: 0, commit: s0.commit, changed: [] });
  }
  return { env, snapshots, close: () => rm(tmp, { recursive: true, force: true }) };
}

export function outcomeOf(r: Pick<LoopResult, 'reason'>): AgentOutcome {
  return { exitCode: r.reason === 'error' ? 1 : 0, signal: null, timedOut: r.reason === 'timeout', endReason: r.reason };
}

export function clawAgent(o: ClawOptions): Agent {
  const settings = o.settings ?? resolveLlmSettings({ model: o.model, baseUrl: o.baseUrl, configPath: o.configPath });
  const maxSteps = o.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(maxSteps >= 1)) throw new UsageError('--max-steps must be ≥ 1');
  const client = new LlmClient(settings, o.client);
  return {
    name: 'claw',
    async run(ctx) {
      const deadline = performance.now() + ctx.timeoutMs;
      const mount = ctx.task.spec.mount;
      const { env, snapshots, close } = await openToolEnv(ctx, deadline, o.snapshots ?? true);
      const executor = new ToolExecutor(env);
      const recorder = new StepRecorder({
        trajectory: new TrajectoryBuilder(randomUUID(), { name: 'clawgym-claw', version: VERSION, model_name: settings.model }),
        transcript: ctx.transcript,
        events: ctx.events,
        snapshots,
        path: ctx.files.trajectory,
        secrets: client.secrets,
      });
      const system = systemPrompt(await loadWorkspaceContext(ctx.workspace, mount), mount);
      recorder.system(system);
      recorder.user(ctx.task.spec.instruction);
      const extra = { base_url: settings.baseUrl, task_id: ctx.task.spec.id, limits: { max_steps: maxSteps, max_tokens: o.maxTokens ?? null, timeout_ms: ctx.timeoutMs } };
      let result: LoopResult | undefined;
      try {
        result = await runToolLoop({
          client,
          tools: CLAW_TOOLS,
          executor,
          recorder,
          calls: new CallRecorder(ctx.files.calls, client.secrets),
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: ctx.task.spec.instruction },
          ],
          limits: { maxSteps, maxTokens: o.maxTokens ?? null, deadline },
          stream: o.stream ?? true,
          signal: ctx.signal,
        });
        return outcomeOf(result);
      } catch (e) {
        recorder.finish('error', recorder.trajectory.steps.filter((s) => s.source === 'agent').length, (e as Error).message, extra);
        throw e;
      } finally {
        await executor.close();
        await close();
        if (result) recorder.finish(result.reason, result.steps, result.message, { ...extra, tokens: result.tokens });
      }
    },
  };
}
