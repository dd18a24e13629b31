/**
 * bench.yaml: what a bench holds (task ids, where each lives, its content hash) and the inputs that
 * produced it. Written without clocks or random run ids, so the same inputs give the same bytes.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { portableYaml } from '../task/portable-yaml.js';
import { Band } from './difficulty.js';

export const BENCH_FILE = 'bench.yaml';
export const BENCH_REQUIREMENTS = ['oracle-pass', 'nop-zero', 'accepted'] as const;
export const BenchRequirement = z.enum(BENCH_REQUIREMENTS);
export type BenchRequirement = z.infer<typeof BenchRequirement>;

const Count = z.number().int().min(0);

export const RunRef = z.object({ run_id: z.string(), agent: z.string(), model: z.string().optional(), path: z.string() });
export type RunRef = z.infer<typeof RunRef>;

export const BenchTask = z.object({
  id: z.string(),
  /** The task's folder, relative to the bench folder. */
  path: z.string(),
  /** Its format in the bench (folder formats are kept; file formats become native). */
  format: z.string(),
  category: z.string(),
  family: z.string(),
  difficulty: z.number().int().nullable(),
  /** Where it came from in the pool. */
  source: z.string(),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  files: Count,
  /** With --difficulty-from: the mean of the reference agents' pass rates, and its band. */
  solve_rate: z.number().min(0).max(1).nullable().optional(),
  band: Band.optional(),
});
export type BenchTask = z.infer<typeof BenchTask>;

export const BenchManifest = z.object({
  schema_version: z.literal(1),
  name: z.string(),
  version: z.string(),
  /** The ClawGym version that built it. */
  clawgym: z.string(),
  inputs: z.object({
    from: z.array(z.string()),
    size: z.number().int().positive().nullable(),
    seed: z.number().int(),
    /** Per-category caps; "*" for every category not named. */
    quotas: z.record(z.string(), Count),
    require: z.array(BenchRequirement),
    /** Existing nop/oracle runs used as evidence (the ones the build ran itself are not inputs). */
    runs: z.array(RunRef),
    difficulty_from: z.array(RunRef),
    keep: z.enum(['original', 'native']),
  }),
  counts: z.object({
    pool: Count,
    load_errors: Count,
    candidates: Count,
    tasks: Count,
    by_category: z.record(z.string(), Count),
    by_band: z.record(z.string(), Count).optional(),
  }),
  tasks: z.array(BenchTask),
});
export type BenchManifest = z.infer<typeof BenchManifest>;

export function manifestYaml(m: BenchManifest): string {
  return portableYaml(BenchManifest.parse(m));
}

/** Read and validate `<dir>/bench.yaml`; a missing or malformed manifest is the caller's mistake. */
export async function readManifest(dir: string): Promise<BenchManifest> {
  const file = join(dir, BENCH_FILE);
  if (!existsSync(file)) throw new UsageError(`${dir} is not a bench folder (no ${BENCH_FILE}): build one with clawgym bench build`);
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not YAML (${(e as Error).message})`);
  }
  const r = BenchManifest.safeParse(raw);
  if (!r.success) throw new UsageError(`${file}: not a bench manifest (${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return r.data;
}
