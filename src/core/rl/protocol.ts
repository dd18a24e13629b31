/**
 * The RL environment server's HTTP contract (JSON bodies), validated with zod: what trainers send
 * to /reset, /step, /verify, /close and /rollout. Responses are typed from the same place.
 */
import { z } from 'zod';
import type { AtifTrajectory } from '../trace/atif.js';
import type { ChatCompletionTool } from '../llm/client.js';
import type { ErrorKind } from '../errors.js';
import type { VerifyResult } from '../verify/result.js';

/** `{task_id}` picks a task; `{seed}` picks one deterministically (same seed, same pool → same task). */
export const ResetRequest = z
  .object({
    task_id: z.string().min(1).optional(),
    seed: z.number().int().optional(),
  })
  .strict()
  .refine((r) => (r.task_id === undefined) !== (r.seed === undefined), { message: 'give exactly one of task_id or seed' });
export type ResetRequest = z.infer<typeof ResetRequest>;

export const ToolCall = z
  .object({
    name: z.string().min(1),
    /** An object, or the JSON text a model produced (passed to the tool as it is, like the claw agent does). */
    arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
  })
  .strict();

export const StepRequest = z
  .object({
    episode_id: z.string().min(1),
    tool_call: ToolCall,
    /** The policy's text beside the call, kept in the episode's trajectory. */
    message: z.string().optional(),
  })
  .strict();
export type StepRequest = z.infer<typeof StepRequest>;

export const EpisodeRequest = z.object({ episode_id: z.string().min(1) }).strict();

/** A GRPO group: n episodes of one task from one starting workspace (the task by id, or by seed). */
export const GroupRequest = z
  .object({
    task_id: z.string().min(1).optional(),
    seed: z.number().int().optional(),
    n: z.number().int().min(1).max(1024),
    group_id: z.string().min(1).max(255).optional(),
  })
  .strict()
  .refine((r) => !(r.task_id !== undefined && r.seed !== undefined), { message: 'give task_id or seed, not both' });
export type GroupRequest = z.infer<typeof GroupRequest>;
export type EpisodeRequest = z.infer<typeof EpisodeRequest>;

export const RolloutRequest = z
  .object({
    task_id: z.string().min(1),
    /** The policy's OpenAI-compatible endpoint, e.g. a vLLM server's http://host:8000/v1. */
    base_url: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1),
    /** Samples of the task (a GRPO group). */
    n: z.number().int().min(1).max(64),
    /** Sent to base_url only; never logged, stored or returned. */
    api_key: z.string().min(1).optional(),
    max_steps: z.number().int().min(1).max(1000).optional(),
    max_tokens: z.number().int().min(1).optional(),
    stream: z.boolean().optional(),
  })
  .strict();
export type RolloutRequest = z.infer<typeof RolloutRequest>;

export interface ResetResponse {
  episode_id: string;
  task_id: string;
  instruction: string;
  /** The OpenClaw tool schemas the claw agent declares (Chat Completions `tools`). */
  tools: ChatCompletionTool[];
  /** The claw agent's system prompt for this workspace (bootstrap files and skills included). */
  system_prompt: string;
  /** Where the workspace appears to the tools. */
  cwd: string;
}

export interface StepResponse {
  episode_id: string;
  observation: string;
  is_error: boolean;
  /** Steps taken so far in this episode. */
  step: number;
  ms: number;
  /** This step reached the server's step limit: the episode ended and was verified (reward below). */
  done: boolean;
  reward: number | null;
}

export interface VerifyResponse {
  episode_id: string;
  task_id: string;
  reward: number;
  passed: boolean;
  error: string | null;
  error_kind: ErrorKind | null;
  details: VerifyResult;
}

export interface CloseResponse {
  episode_id: string;
  closed: true;
  steps: number;
  /** The episode as an ATIF trajectory (system prompt, instruction, each step's call and observation). */
  trajectory: AtifTrajectory;
}

export interface RolloutSample {
  index: number;
  reward: number;
  passed: boolean;
  error: string | null;
  error_kind: ErrorKind | null;
  /** Why the agent stopped (model_stopped, max_steps, timeout, error…). */
  end_reason: string | null;
  trajectory: AtifTrajectory | null;
}

export interface RolloutResponse {
  rollout_id: string;
  task_id: string;
  model: string;
  n: number;
  mean_reward: number;
  samples: RolloutSample[];
}
