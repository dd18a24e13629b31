/**
 * Harbor's own rules for the files a ClawGym export hands it, restated (not copied) from Harbor's
 * source, version 0.20.0: src/harbor/models/task/config.py (TaskConfig and its [verifier], [agent],
 * [environment] and [solution] sections), models/verifier/result.py (VerifierResult) and
 * verifier/verifier.py (which reward file is read). Pydantic ignores keys it does not know; these
 * schemas are strict, so that a misspelt key fails here instead of being ignored by Harbor.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';

const Float = z.number(); // pydantic's float takes ints too
const Int = z.number().int();
const Env = z.record(z.string(), z.string());
const NetworkMode = z.enum(['no-network', 'public', 'allowlist']);
const User = z.union([z.string(), Int]).nullable().optional();

/** Network fields every phase section shares; allowed_hosts only goes with an allowlist. */
const network = {
  network_mode: NetworkMode.nullable().optional(),
  allowed_hosts: z.array(z.string()).nullable().optional(),
};
const allowlistOnly = (s: { network_mode?: string | null; allowed_hosts?: string[] | null }) => !s.allowed_hosts || s.network_mode === 'allowlist';

export const HarborEnvironment = z
  .object({
    ...network,
    build_timeout_sec: Float.optional(),
    docker_image: z.string().nullable().optional(),
    os: z.enum(['linux', 'windows']).optional(),
    cpus: Int.nullable().optional(),
    memory_mb: Int.nullable().optional(),
    storage_mb: Int.nullable().optional(),
    gpus: Int.nullable().optional(),
    gpu_types: z.array(z.string()).nullable().optional(),
    env: Env.optional(),
    skills_dir: z.string().nullable().optional(),
    workdir: z.string().nullable().optional(),
    /** Deprecated in 0.20 (mapped onto network_mode); the field of the 1.x schemas before it. */
    allow_internet: z.boolean().nullable().optional(),
    /** Deprecated size strings ("2G"); must agree with memory_mb / storage_mb when both are given. */
    memory: z.string().optional(),
    storage: z.string().optional(),
  })
  .strict()
  .refine(allowlistOnly, 'allowed_hosts is only valid when network_mode="allowlist"');

export const HarborVerifier = z
  .object({
    ...network,
    timeout_sec: Float.optional(),
    env: Env.optional(),
    user: User,
    environment_mode: z.enum(['shared', 'separate']).nullable().optional(),
    environment: HarborEnvironment.nullable().optional(),
  })
  .strict()
  .refine(allowlistOnly, 'allowed_hosts is only valid when network_mode="allowlist"');

export const HarborAgent = z
  .object({ ...network, timeout_sec: Float.nullable().optional(), user: User })
  .strict()
  .refine(allowlistOnly, 'allowed_hosts is only valid when network_mode="allowlist"');

export const HarborTaskConfig = z
  .object({
    /** Renamed to schema_version by Harbor on load; either may be given. */
    version: z.string().optional(),
    schema_version: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    verifier: HarborVerifier.optional(),
    agent: HarborAgent.optional(),
    environment: HarborEnvironment.optional(),
    solution: z.object({ env: Env.optional() }).strict().optional(),
    source: z.string().nullable().optional(),
  })
  .strict();
export type HarborTaskConfig = z.infer<typeof HarborTaskConfig>;

/** Read and validate a task.toml the way Harbor's TaskConfig.model_validate_toml would accept it. */
export function readHarborTaskToml(file: string): HarborTaskConfig {
  return HarborTaskConfig.parse(JSON.parse(JSON.stringify(parseToml(readFileSync(file, 'utf8')))));
}

/** The network a Harbor run gives the task: network_mode when set, else the legacy allow_internet, else public. */
export function harborNetwork(cfg: HarborTaskConfig): z.infer<typeof NetworkMode> {
  const env = cfg.environment ?? {};
  if (env.network_mode) return env.network_mode;
  return env.allow_internet === false ? 'no-network' : 'public';
}

/** VerifierResult.rewards: named numbers. */
export const HarborRewards = z.record(z.string(), z.number());

/**
 * What Harbor (>= 0.20) records for a trial from its verifier folder: reward.json when it exists
 * (all its keys; `reward` is the one jobs, min_reward and trainers use), else reward.txt read as
 * {reward: float(text)}.
 */
export function harborReadsRewards(verifierDir: string): { file: 'reward.json' | 'reward.txt'; rewards: Record<string, number> } {
  const json = join(verifierDir, 'reward.json');
  if (existsSync(json)) return { file: 'reward.json', rewards: HarborRewards.parse(JSON.parse(readFileSync(json, 'utf8'))) };
  const txt = readFileSync(join(verifierDir, 'reward.txt'), 'utf8');
  const reward = Number(txt.trim());
  if (!txt.trim() || Number.isNaN(reward)) throw new Error(`reward.txt is not a number: ${JSON.stringify(txt)}`);
  return { file: 'reward.txt', rewards: { reward } };
}
