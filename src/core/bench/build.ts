/**
 * `clawgym bench build`: from a pool, the tasks that meet the requirements (nop scores 0, the
 * oracle passes, a reviewer accepted them), drawn deterministically under per-category quotas to
 * a size, copied into `<out>/tasks/<id>/` with `bench.yaml` naming each task and its content hash.
 * The same inputs give a byte-identical manifest: no clocks, no random ids, seeded order.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import { UsageError } from '../errors.js';
import { readRunFolder, type RunFolder } from '../runs/folder.js';
import type { RunHooks } from '../runs/run.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { factsOf } from '../synth/pool/describe.js';
import type { Quotas } from '../synth/filter/quota.js';
import { loadTasks } from '../task/load.js';
import { replaceAtomically } from '../task/review.js';
import { saveNativeTask } from '../task/save.js';
import type { Task } from '../task/task.js';
import { VERSION } from '../version.js';
import { BANDS, referenceAgents, solveOf, type Band } from './difficulty.js';
import { evidenceProblem, gatherEvidence, type SanityAgent } from './evidence.js';
import { hashFolder } from './hash.js';
import { BENCH_FILE, BenchManifest, manifestYaml, readManifest, type BenchRequirement, type BenchTask, type RunRef } from './manifest.js';
import { selectTasks } from './select.js';

/** Where a build keeps its own nop/oracle runs and its report (hidden: task loaders skip it). */
export const WORK_DIR = '.bench';
export const TASKS_DIR = 'tasks';

/** Formats whose task is one folder, copied as it is; the others (a file, a row) become native. */
const FOLDER_FORMATS = new Set(['native', 'clawgym', 'harbor']);

export interface BuildOptions {
  from: string[];
  out: string;
  size: number | null;
  quotas: Quotas;
  require: readonly BenchRequirement[];
  /** Existing nop/oracle runs (evidence for nop-zero / oracle-pass). */
  runs: readonly string[];
  /** Reference runs of real agents: solve rates, bands, stratified selection. */
  difficultyFrom: readonly string[];
  seed: number;
  name?: string;
  version: string;
  /** original: folder formats kept as they are; native: every task converted. */
  keep: 'original' | 'native';
  concurrency: number;
  /** Asked for only when the build must run nop or oracle itself. */
  sandbox?: () => Promise<Sandbox>;
  hooks?: RunHooks;
  onStep?: (step: string, entering: number) => void;
}

export interface BuildStep {
  step: string;
  entered: number;
  dropped: number;
  kept: number;
}

export interface BuildReport {
  out: string;
  manifest: string;
  steps: BuildStep[];
  dropped: Array<{ id: string; step: string; reason: string }>;
  /** Tasks asked for but not available (size larger than what the requirements and quotas leave). */
  shortfall: number;
  /** Runs this build made itself (kept and resumed under .bench/). */
  ran: Record<string, string>;
}

export interface BuildOutcome {
  manifest: BenchManifest | null;
  report: BuildReport;
  interrupted: boolean;
}

const inside = (parent: string, child: string) => child === parent || child.startsWith(parent + sep);

async function checkOut(out: string, from: readonly string[]): Promise<void> {
  for (const p of from.map((x) => resolve(x))) {
    if (inside(p, out)) throw new UsageError(`--out ${out} is inside the pool ${p}: the bench would become part of its own pool`);
    if (inside(out, p)) throw new UsageError(`the pool ${p} is inside --out ${out}: give a bench folder of its own`);
  }
  if (!existsSync(out)) return;
  const entries = (await readdir(out)).filter((e) => e !== WORK_DIR);
  if (entries.length && !entries.includes(BENCH_FILE)) throw new UsageError(`--out ${out} is not empty and holds no ${BENCH_FILE}: give an empty folder or an existing bench`);
}

function runRef(r: RunFolder): RunRef {
  return { run_id: r.manifest.run_id, agent: r.manifest.agent.name, ...(r.manifest.agent.model ? { model: r.manifest.agent.model } : {}), path: r.dir };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function buildBench(o: BuildOptions): Promise<BuildOutcome> {
  const out = resolve(o.out);
  const from = o.from.map((p) => resolve(p));
  if (!from.length) throw new UsageError('give the pool with --from <folder…>');
  await checkOut(out, from);
  const given = await Promise.all(o.runs.map((r) => readRunFolder(r)));
  const references = await Promise.all(o.difficultyFrom.map((r) => readRunFolder(r)));
  const report: BuildReport = { out, manifest: join(out, BENCH_FILE), steps: [], dropped: [], shortfall: 0, ran: {} };

  const { tasks, errors } = await loadTasks(from);
  for (const e of errors) for (const p of e.problems) report.dropped.push({ id: p.file, step: 'schema', reason: `${p.line ? `${p.line}:${p.column ?? 1}: ` : ''}${p.message}` });
  report.steps.push({ step: 'schema', entered: tasks.length + errors.length, dropped: errors.length, kept: tasks.length });
  let alive = tasks;
  const step = (name: string, why: (t: Task) => string | undefined) => {
    o.onStep?.(name, alive.length);
    const entered = alive.length;
    alive = alive.filter((t) => {
      const reason = why(t);
      if (reason !== undefined) report.dropped.push({ id: t.spec.id, step: name, reason });
      return reason === undefined;
    });
    report.steps.push({ step: name, entered, dropped: entered - alive.length, kept: alive.length });
  };

  if (o.require.includes('accepted')) {
    step('accepted', (t) => {
      const status = t.spec.review?.status;
      if (status === 'accepted') return undefined;
      return status ? `review status is "${status}"` : t.format === 'native' ? 'not reviewed yet (no review block)' : `not reviewed: a ${t.format} task has no review block (convert it to native to review it)`;
    });
  }
  const need: SanityAgent[] = [];
  if (o.require.includes('nop-zero')) need.push('nop');
  if (o.require.includes('oracle-pass')) need.push('oracle');
  if (need.length) {
    const { evidence, interrupted } = await gatherEvidence({
      paths: from,
      workDir: join(out, WORK_DIR, 'runs'),
      given,
      need,
      sandbox: o.sandbox,
      concurrency: o.concurrency,
      hooks: o.hooks,
      onRun: (agent) => o.onStep?.(`${agent} run`, tasks.length),
    });
    for (const [agent, e] of evidence) if (e.from !== 'given') report.ran[agent] = e.from;
    if (interrupted) return { manifest: null, report, interrupted };
    for (const agent of need) step(agent === 'nop' ? 'nop-zero' : 'oracle-pass', (t) => evidenceProblem(agent, evidence.get(agent)!, t.spec.id));
  }

  const agents = referenceAgents(references);
  const solve = new Map(alive.map((t) => [t.spec.id, agents.length ? solveOf(t.spec.id, agents) : null]));
  const items = alive.map((t) => {
    const f = factsOf(t);
    return { id: f.id, category: f.category, family: f.family, band: solve.get(f.id)?.band ?? '', task: t };
  });
  o.onStep?.('select', items.length);
  const { selected, left } = selectTasks(items, { size: o.size, quotas: o.quotas, seed: o.seed });
  for (const l of left) report.dropped.push({ id: l.item.id, step: 'select', reason: l.reason });
  report.steps.push({ step: 'select', entered: items.length, dropped: left.length, kept: selected.length });
  report.shortfall = o.size === null ? 0 : Math.max(0, o.size - selected.length);

  o.onStep?.('copy', selected.length);
  const entries = await writeTasks(out, selected.map((s) => s.task), o.keep);
  const benchTasks: BenchTask[] = selected
    .map((s) => {
      const t = s.task;
      const e = entries.get(t.spec.id)!;
      const sv = solve.get(t.spec.id);
      return {
        id: t.spec.id,
        path: e.path,
        format: e.format,
        category: s.category,
        family: s.family,
        difficulty: t.spec.difficulty ?? null,
        source: t.source,
        hash: e.hash,
        files: e.files,
        ...(sv ? { solve_rate: sv.rate, band: sv.band } : {}),
      };
    })
    .sort(byId);
  const countBy = (key: (t: BenchTask) => string) => {
    const m: Record<string, number> = {};
    for (const t of benchTasks) m[key(t)] = (m[key(t)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(m).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  };
  const manifest: BenchManifest = BenchManifest.parse({
    schema_version: 1,
    // Not the folder's name: a rebuild elsewhere must give the same bytes.
    name: o.name ?? 'bench',
    version: o.version,
    clawgym: VERSION,
    inputs: {
      from,
      size: o.size,
      seed: o.seed,
      quotas: { ...Object.fromEntries(Object.entries(o.quotas.perCategory).sort((a, b) => (a[0] < b[0] ? -1 : 1))), ...(o.quotas.others !== undefined ? { '*': o.quotas.others } : {}) },
      require: [...o.require].sort(),
      runs: given.map(runRef),
      difficulty_from: references.map(runRef),
      keep: o.keep,
    },
    counts: {
      pool: tasks.length,
      load_errors: errors.length,
      candidates: items.length,
      tasks: benchTasks.length,
      by_category: countBy((t) => t.category),
      ...(agents.length ? { by_band: Object.fromEntries(BANDS.map((b: Band) => [b, benchTasks.filter((t) => t.band === b).length])) } : {}),
    },
    tasks: benchTasks,
  });
  await replaceAtomically(join(out, BENCH_FILE), manifestYaml(manifest));
  await writeFile(join(out, WORK_DIR, 'build-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { manifest, report, interrupted: false };
}

/**
 * Copy the selected tasks into a staging folder, hash them there, then swap the staging folder in
 * for `<out>/tasks`: a failed copy leaves the previous bench as it was.
 */
async function writeTasks(out: string, tasks: readonly Task[], keep: 'original' | 'native'): Promise<Map<string, { path: string; format: string; hash: string; files: number }>> {
  const work = join(out, WORK_DIR);
  await mkdir(work, { recursive: true });
  if (existsSync(join(out, BENCH_FILE))) await readManifest(out); // never replace what is not a bench
  const stage = await mkdtemp(join(work, 'stage-'));
  try {
    const entries = new Map<string, { path: string; format: string; hash: string; files: number }>();
    const limit = pLimit(8);
    await Promise.all(
      tasks.map((t) =>
        limit(async () => {
          const rel = `${TASKS_DIR}/${t.spec.id}`;
          const dest = join(stage, TASKS_DIR, t.spec.id);
          const asIs = keep === 'original' && FOLDER_FORMATS.has(t.format);
          if (asIs) await cp(t.source, dest, { recursive: true, verbatimSymlinks: true });
          else await saveNativeTask(t, dest);
          entries.set(t.spec.id, { path: rel, format: asIs ? t.format : 'native', ...(await hashFolder(dest)) });
        }),
      ),
    );
    await mkdir(join(stage, TASKS_DIR), { recursive: true });
    await rm(join(out, TASKS_DIR), { recursive: true, force: true });
    await rename(join(stage, TASKS_DIR), join(out, TASKS_DIR));
    return entries;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
