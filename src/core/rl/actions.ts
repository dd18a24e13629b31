/**
 * OpenEnv actions applied to an episode, and the observations that answer them: the task after
 * reset; the tool's result after call_tool (OpenEnv's CallToolObservation fields); the tools after
 * list_tools; and, when the episode ends (finish, the agent's final message, the step limit), the
 * verifier's reward with every check in the observation's metadata. Per-step rewards are off by
 * default; with dense rewards a step earns the change in the code checks' score it caused (the
 * final step gets the rest, so an episode's rewards add up to its reward).
 */
import { CLAW_TOOLS } from '../agents/claw/tools.js';
import type { VerifyResult } from '../verify/result.js';
import type { Episode, FinishReason, StepOutcome } from './episode.js';
import type { Action, Observation, StepResult } from './openenv.js';

export interface ActionOptions {
  /** A reward after every tool call (the change in the code checks' score), not only at the end. */
  denseReward: boolean;
  /** This step may take at most this long (OpenEnv's timeout_s). */
  timeoutMs?: number;
}

/** The claw agent's tools as OpenEnv/MCP tool specs. */
export function toolSpecs(): Array<{ name: string; description: string; input_schema: Record<string, unknown> }> {
  return CLAW_TOOLS.flatMap((t) => (t.type === 'function' ? [{ name: t.function.name, description: t.function.description ?? '', input_schema: (t.function.parameters ?? {}) as Record<string, unknown> }] : []));
}

/** What a policy sees after reset. */
export function resetResult(ep: Episode, notes: Record<string, unknown> = {}): StepResult {
  const info = { episode_id: ep.id, task_id: ep.task.spec.id, instruction: ep.task.spec.instruction, system_prompt: ep.systemPrompt, cwd: ep.task.spec.mount };
  const state = ep.state();
  return {
    observation: { ...info, metadata: { ...info, seed: state.seed, group_id: state.group_id, max_steps: state.max_steps, ...notes } },
    reward: null,
    done: false,
  };
}

export function listToolsResult(ep: Episode | undefined): StepResult {
  return { observation: { episode_id: ep?.id ?? null, tools: toolSpecs(), metadata: {} }, reward: null, done: false };
}

/** Per-check details of a verification, as an observation's metadata carries them. */
export function verificationMetadata(v: VerifyResult) {
  return {
    reward: v.reward,
    passed: v.passed,
    pass_threshold: v.pass_threshold,
    code_score: v.code.score,
    rubric_score: v.rubric.score,
    error: v.error,
    error_kind: v.error_kind,
    checks: v.code.checks.map((c) => ({
      id: c.id,
      type: c.type,
      weight: c.weight,
      score: c.score,
      passed: c.passed,
      message: c.message,
      ...(c.expected !== undefined ? { expected: c.expected } : {}),
      ...(c.actual !== undefined ? { actual: c.actual } : {}),
      ...(c.error !== undefined ? { error: c.error } : {}),
    })),
    rubric: { status: v.rubric.status, score: v.rubric.score, message: v.rubric.message },
  };
}

async function endedResult(ep: Episode, v: VerifyResult, base: Observation, o: ActionOptions): Promise<StepResult> {
  const state = ep.state();
  const group = ep.group ? await ep.group.summary() : null;
  const reward = o.denseReward ? v.reward - ep.potential : v.reward;
  return {
    observation: {
      ...base,
      metadata: {
        ...base.metadata,
        episode_id: ep.id,
        task_id: ep.task.spec.id,
        end_reason: state.end_reason,
        steps: state.step_count,
        verification: verificationMetadata(v),
        ...(group ? { group: { group_id: group.group_id, size: group.size, finished: group.finished, done: group.done, rewards: group.rewards, mean_reward: group.mean_reward } } : {}),
      },
    },
    reward,
    done: true,
  };
}

function toolObservation(ep: Episode, name: string, r: StepOutcome): Observation {
  return {
    episode_id: ep.id,
    tool_name: name,
    result: { content: [{ type: 'text', text: r.text }], structured_content: { result: r.text }, data: r.text, is_error: r.isError },
    error: r.problem ? { error_type: r.problem, message: r.text.replace(/^Error: /, '') } : null,
    metadata: { step: r.step, ms: Math.round(r.ms), is_error: r.isError },
  };
}

/** Finish the episode (explicitly, or by the agent's final message): verified, rewarded. */
export async function finishEpisode(ep: Episode, reason: FinishReason, message: string | undefined, o: ActionOptions): Promise<StepResult> {
  const v = await ep.finish(reason, message);
  return endedResult(ep, v, { episode_id: ep.id, metadata: {} }, o);
}

/** Apply one action (reset aside) to an open episode. */
export async function applyAction(ep: Episode, action: Action, o: ActionOptions): Promise<StepResult> {
  switch (action.type) {
    case 'list_tools':
      return listToolsResult(ep);
    case 'finish':
      return finishEpisode(ep, 'finish', action.message, o);
    case 'message':
      return finishEpisode(ep, 'message', action.content, o);
    case 'call_tool': {
      const r = await ep.step(action.tool_name, action.arguments, action.message, { timeoutMs: o.timeoutMs });
      const obs = toolObservation(ep, action.tool_name, r);
      if (r.finished) return endedResult(ep, r.finished, obs, o);
      const reward = o.denseReward ? await ep.progress() : null;
      return { observation: obs, reward, done: false };
    }
  }
}
