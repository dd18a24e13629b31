/**
 * The on-disk run contract (CLI, extension and trainers read these): `run.json` says what was
 * asked, `results.jsonl` holds one line per finished trial — append-only, the resume point.
 */
import { z } from 'zod';
import { AgentSpec } from '../agents/spec.js';
import { ErrorKind } from '../errors.js';
import { LlmUsageTotals } from '../llm/usage.js';
import { JudgeSpec } from '../verify/judge-spec.js';


export const PhaseTimings = z.object({
  setup_ms: z.number(),
  agent_ms: z.number(),
  verify_ms: z.number(),
  total_ms: z.number(),
});
export type PhaseTimings = z.infer<typeof PhaseTimings>;

export const ResultLine = z.object({
  task_id: z.string(),
  attempt: z.number().int().min(1),
  reward: z.number().min(0).max(1),
  passed: z.boolean(),
  /** null, or what went wrong (the agent failing the task is not an error). */
  error: z.string().nullable(),
  error_kind: ErrorKind.nullable(),
  category: z.string().nullable(),
  agent: z.string(),
  /** How the agent process ended. */
  agent_exit: z
    .object({
      code: z.number().nullable(),
      signal: z.string().nullable(),
      timed_out: z.boolean(),
      end_reason: z.string().optional(),
      /** The kernel's OOM killer killed one of its processes (the sandbox's memory limit). */
      oom_killed: z.boolean().optional(),
    })
    .nullable(),
  /** The agent program's version where it has its own (OpenClaw's). */
  agent_version: z.string().optional(),
  /** Code and rubric parts of the reward; rubric null when not judged. */
  code_score: z.number().nullable(),
  rubric_score: z.number().nullable(),
  timings: PhaseTimings,
  /** Harness failures retried before this result. */
  harness_retries: z.number().int().min(0),
  /** Model calls of the agent and of the rubric judge, when there were any. */
  llm: z.object({ agent: LlmUsageTotals.nullable(), judge: LlmUsageTotals.nullable() }).optional(),
  /** Relative to the run folder. */
  trial_dir: z.string(),
  finished_at: z.string(),
});
export type ResultLine = z.infer<typeof ResultLine>;

export const RunTaskRef = z.object({
  id: z.string(),
  source: z.string(),
  format: z.string(),
  category: z.string().nullable(),
});

export const RunManifest = z.object({
  schema_version: z.literal(1),
  run_id: z.string(),
  created_at: z.string(),
  /** The paths the user gave; resume reloads tasks from them. */
  paths: z.array(z.string()),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  tasks: z.array(RunTaskRef),
  /** The agent (never a key: resume reads it again from the environment or the config file). */
  agent: AgentSpec,
  /** The rubric judge, when one was asked for (never a key). */
  judge: JudgeSpec.optional(),
  attempts: z.number().int().min(1),
  concurrency: z.number().int().min(1),
  timeout_multiplier: z.number().positive(),
  sandbox: z.enum(['bwrap', 'none']),
  harness_retries: z.number().int().min(0),
  /** `--memory-mb` / `--max-processes`: over each task's own `limits`. */
  limits: z.object({ memory_mb: z.number().int().positive().optional(), max_processes: z.number().int().positive().optional() }).optional(),
  versions: z.record(z.string(), z.string()),
});
export type RunManifest = z.infer<typeof RunManifest>;
