/**
 * Whole rollouts for RL (a GRPO group): the claw agent runs n times on one task against the
 * policy's OpenAI-compatible endpoint, each sample a full trial (its own workspace and sandbox,
 * the same verification as `clawgym run`), and comes back as an ATIF trajectory with its reward.
 *
 * The endpoint's key is the caller's alone: the settings are built from the request, never from
 * this server's environment or config file (a caller could otherwise point base_url at itself and
 * collect our key). Trajectories are redacted of it, as every claw trajectory is.
 */
import { trialFile } from '../runs/folder.js';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { clawAgent } from '../agents/claw/claw.js';
import type { LlmSettings } from '../llm/config.js';
import { redact, secretsOf } from '../llm/redact.js';
import { runTrial } from '../runs/trial.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Task } from '../task/task.js';
import { AtifTrajectory } from '../trace/atif.js';
import type { RubricJudge } from '../verify/judge.js';
import type { RolloutRequest, RolloutResponse, RolloutSample } from './protocol.js';

export interface RolloutOptions {
  task: Task;
  request: RolloutRequest;
  sandbox: Sandbox;
  /** The rollout's run folder is made here. */
  root: string;
  timeoutMultiplier: number;
  judge?: RubricJudge;
  /** Keep the trial folders (trajectory, transcript, llm/calls.jsonl redacted, verify.json). */
  keep?: boolean;
}

export async function runRollout(o: RolloutOptions): Promise<RolloutResponse> {
  const r = o.request;
  const settings: LlmSettings = {
    baseUrl: r.base_url.replace(/\/+$/, ''),
    apiKey: r.api_key,
    model: r.model,
    maxConcurrency: Math.max(8, r.n),
    timeoutMs: 600_000,
    // A policy server that is down should fail the request soon, not after minutes of backoff.
    maxRetries: 2,
    prices: {},
  };
  const agent = clawAgent({ settings, maxSteps: r.max_steps, maxTokens: r.max_tokens, stream: r.stream });
  const rolloutId = randomUUID();
  const runDir = await mkdtemp(join(o.root, 'rollout-'));
  await chmod(runDir, 0o755);
  try {
    const lines = await Promise.all(
      Array.from({ length: r.n }, (_, k) =>
        runTrial({ task: o.task, attempt: k + 1, agent, sandbox: o.sandbox, runDir, timeoutMultiplier: o.timeoutMultiplier, harnessRetries: 0, judge: o.judge }),
      ),
    );
    const samples: RolloutSample[] = [];
    for (const [k, line] of lines.entries()) {
      samples.push({
        index: k,
        reward: line.reward,
        passed: line.passed,
        error: line.error,
        error_kind: line.error_kind,
        end_reason: line.agent_exit?.end_reason ?? null,
        trajectory: await readTrajectory(trialFile(join(runDir, line.trial_dir), 'trajectory')),
      });
    }
    const response: RolloutResponse = {
      rollout_id: rolloutId,
      task_id: o.task.spec.id,
      model: r.model,
      n: r.n,
      mean_reward: samples.reduce((a, s) => a + s.reward, 0) / samples.length,
      samples,
    };
    // Trajectories are redacted already; error texts pass through here too.
    return redact(response, secretsOf([r.api_key]));
  } finally {
    if (!o.keep) await rm(runDir, { recursive: true, force: true });
  }
}

/** A sample that failed before its first model call has no trajectory. */
async function readTrajectory(path: string): Promise<AtifTrajectory | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const t = AtifTrajectory.safeParse(JSON.parse(text));
  return t.success ? t.data : null;
}
