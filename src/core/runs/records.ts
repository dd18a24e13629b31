/**
 * The on-disk run contract (CLI, extension and trainers read these): `run.json` says what was
 * asked, `results.jsonl` holds one line per finished trial — append-only, the resume point.
 */
import { constants } from 'node:os';
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
  /**
   * Why the agent is taken to have crashed (`agentCrash`: a non-zero exit, a signal, with a hint
   * when it looks like running out of memory); null when it ended cleanly or at its timeout. The
   * reward stays the verifier's: a crashed agent's workspace may still pass.
   */
  agent_crash: z.string().nullable().optional(),
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

// Signal numbers as a shell reports them (128 + n) for the signals an agent dies of.
const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/**
 * The one place that decides whether an agent crashed, from how its process ended. A timeout is
 * not a crash (it has its own flag); an exit status above 128 is a shell's report of a signal.
 */
export function agentCrash(exit: ResultLine['agent_exit']): string | null {
  if (!exit || exit.timed_out) return null;
  if (exit.oom_killed) return "OOM-killed at the sandbox's memory limit (--memory-mb / the task's limits.memory_mb)";
  const oom = (sig: string) => (sig === 'SIGKILL' ? ' — the out-of-memory killer sends it' : sig === 'SIGTRAP' ? ' — how V8 (Node) dies when out of memory' : '');
  if (exit.signal) return `killed by ${exit.signal}${oom(exit.signal)}`;
  if (exit.code === null || exit.code === 0) return null;
  const sig = exit.code > 128 ? SIGNAL_NAMES.get(exit.code - 128) : undefined;
  return `exit ${exit.code}${sig ? ` (${sig}${oom(sig)})` : ''}`;
}

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
