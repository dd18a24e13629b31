/**
 * The `claw` agent: ClawGym's OpenClaw-compatible tool loop over any OpenAI-compatible endpoint.
 * Every tool runs in the trial's one sandbox (a ClawSession); the run leaves trajectory.json (ATIF), events,
 * the transcript, llm/calls.jsonl (redacted) and snapshots.git behind in the trial folder.
 */
import { UsageError } from '../../errors.js';
import { resolveLlmSettings, type LlmSettings } from '../../llm/config.js';
import { LlmClient, type ClientDeps } from '../../llm/client.js';
import { CallRecorder } from '../../llm/recorder.js';
import { VERSION } from '../../version.js';
import { DEFAULT_TOOL_PROFILE, type ToolProfile } from '../spec.js';
import type { Agent, AgentOutcome } from '../agent.js';
import { runToolLoop, type LoopResult } from './loop.js';
import { ClawSession } from './session.js';

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
  /** The tools offered to the model (default `coding`). */
  toolProfile?: ToolProfile;
}

export const DEFAULT_MAX_STEPS = 50;

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
      const session = await ClawSession.open(ctx, {
        agent: { name: 'clawgym-claw', version: VERSION, model_name: settings.model },
        snapshots: o.snapshots ?? true,
        secrets: client.secrets,
        toolProfile: o.toolProfile,
      });
      session.deadline = deadline;
      const extra = { base_url: settings.baseUrl, task_id: ctx.task.spec.id, tool_profile: o.toolProfile ?? DEFAULT_TOOL_PROFILE, limits: { max_steps: maxSteps, max_tokens: o.maxTokens ?? null, timeout_ms: ctx.timeoutMs } };
      let result: LoopResult | undefined;
      try {
        result = await runToolLoop({
          client,
          session,
          calls: new CallRecorder(ctx.files.calls, client.secrets),
          messages: [
            { role: 'system', content: session.systemPrompt },
            { role: 'user', content: ctx.task.spec.instruction },
          ],
          limits: { maxSteps, maxTokens: o.maxTokens ?? null, deadline },
          stream: o.stream ?? true,
          signal: ctx.signal,
        });
        return outcomeOf(result);
      } catch (e) {
        session.finish('error', session.recorder.trajectory.steps.filter((s) => s.source === 'agent').length, (e as Error).message, extra);
        throw e;
      } finally {
        await session.close();
        if (result) session.finish(result.reason, result.steps, result.message, { ...extra, tokens: result.tokens });
      }
    },
  };
}
