/**
 * `clawgym synth --route procedural`: N tasks from the family library, deterministic in the seed.
 * Task i draws its own RNG from (seed, i), its family round-robin (so every family is covered)
 * and its difficulty and persona from that RNG; it is written as a native task folder through a
 * staging folder and a rename, so a crashed run resumes by skipping the folders already there.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { ClawgymError , UsageError } from '../../errors.js';
import { taskYaml } from '../../task/save.js';
import { TaskSpec } from '../../task/schema.js';
import { TaskMutants, writeMutants } from '../../task/solutions.js';
import { personasFor, type Persona } from '../personas.js';
import { mix32, Rng } from '../../rng.js';
import { familyDomains, type Difficulty, type Family } from './family.js';
import { FAMILIES } from './families/index.js';

export interface ProceduralOptions {
  n: number;
  seed: number;
  out: string;
  personas: Persona[];
  families?: readonly Family[];
  /** Only these difficulties (default 1–5). */
  difficulties?: readonly Difficulty[];
  concurrency?: number;
  onTask?: (id: string, written: boolean) => void;
}

export interface GeneratedPoolStats {
  written: number;
  skipped: number;
  byFamily: Record<string, number>;
}

export interface ProceduralTask {
  spec: TaskSpec;
  workspace: Record<string, string>;
  /** The oracle's solve.sh. */
  solution: string;
  /** The stated rules and the mutant solutions (both empty for a family without them yet). */
  mutants: TaskMutants;
  family: Family;
}

const fitCache = new WeakMap<readonly Persona[], Map<Family, readonly Persona[]>>();
function fitting(personas: readonly Persona[], family: Family): readonly Persona[] {
  let m = fitCache.get(personas);
  if (!m) fitCache.set(personas, (m = new Map()));
  let fit = m.get(family);
  if (!fit) m.set(family, (fit = personasFor(personas, familyDomains(family))));
  return fit;
}

/** The task at index i: a pure function of (seed, i, families, personas). */
export function proceduralTask(i: number, o: Pick<ProceduralOptions, 'seed' | 'personas' | 'families' | 'difficulties'>): ProceduralTask {
  const families = o.families ?? FAMILIES;
  const family = families[i % families.length]!;
  const taskSeed = mix32(o.seed >>> 0, i);
  const rng = new Rng(taskSeed);
  const difficulty = rng.pick(o.difficulties ?? family.difficultyMix ?? ([1, 2, 3, 4, 5] as const));
  // Someone who would send this task: a persona of the family's domains (any, if the bank has none).
  const persona = rng.pick(fitting(o.personas, family));
  const out = family.generate({ rng: rng.fork(1), difficulty, persona });
  const id = `${family.id}-s${o.seed >>> 0}-${String(i).padStart(6, '0')}`;
  const parsed = TaskSpec.safeParse({
    id,
    title: out.title,
    instruction: out.instruction,
    category: family.category,
    subcategory: family.subcategory,
    operations: out.operations ?? [],
    difficulty,
    timeout_sec: 120,
    tags: ['procedural', family.id, ...(out.tags ?? [])],
    provenance: { route: 'procedural', generator: `${family.id}@${family.version}`, seed: taskSeed, persona: persona.id },
    verify: { checks: out.checks, pass: 1, tests_mount: '/tests' },
  });
  if (!parsed.success) {
    throw new ClawgymError('task', `family ${family.id} made an invalid task (index ${i}): ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  }
  const mutants = TaskMutants.safeParse({ rules: out.rules ?? [], mutants: out.mutants ?? [] });
  if (!mutants.success) {
    throw new ClawgymError('task', `family ${family.id} made invalid mutants (index ${i}): ${mutants.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  }
  return { spec: parsed.data, workspace: out.workspace, solution: out.solution, mutants: mutants.data, family };
}

/** Write one task as a native folder, through a staging folder and a rename (a crash leaves no half task). */
export async function writeTaskFolder(dir: string, t: ProceduralTask): Promise<void> {
  const stage = `${dir}.partial`;
  await rm(stage, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(t.workspace)) {
    const f = join(stage, 'workspace', rel);
    await mkdir(dirname(f), { recursive: true });
    await writeFile(f, content);
  }
  await mkdir(join(stage, 'workspace'), { recursive: true });
  await mkdir(join(stage, 'solution'), { recursive: true });
  await writeFile(join(stage, 'solution', 'solve.sh'), t.solution);
  await chmod(join(stage, 'solution', 'solve.sh'), 0o755);
  await writeMutants(join(stage, 'solution'), t.mutants);
  await writeFile(join(stage, 'task.yaml'), taskYaml(t.spec));
  await rename(stage, dir);
}

export async function generateProcedural(o: ProceduralOptions): Promise<GeneratedPoolStats> {
  if (!Number.isInteger(o.n) || o.n < 0) throw new UsageError(`--n must be a whole number ≥ 0 (got ${o.n})`);
  await mkdir(o.out, { recursive: true });
  const stats: GeneratedPoolStats = { written: 0, skipped: 0, byFamily: {} };
  const limit = pLimit(o.concurrency ?? 16);
  await Promise.all(
    Array.from({ length: o.n }, (_, i) =>
      limit(async () => {
        const t = proceduralTask(i, o);
        const dir = join(o.out, t.spec.id);
        stats.byFamily[t.family.id] = (stats.byFamily[t.family.id] ?? 0) + 1;
        if (existsSync(join(dir, 'task.yaml'))) {
          stats.skipped++;
          o.onTask?.(t.spec.id, false);
          return;
        }
        await writeTaskFolder(dir, t);
        stats.written++;
        o.onTask?.(t.spec.id, true);
      }),
    ),
  );
  return stats;
}
