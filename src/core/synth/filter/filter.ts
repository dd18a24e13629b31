/**
 * `clawgym filter`: run a pool through the filters a sound task must pass — schema, nop scores 0,
 * the oracle passes, the verifier is deterministic, its mutant solutions behave (asked for
 * explicitly), not a near-duplicate — then per-category
 * quotas; copy (or list) what is admitted and report what each filter dropped and why.
 *
 * Order: the cheap schema check, then the runs, then dedup among the survivors (so a broken copy
 * never shadows a sound one), then quotas over what is left.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { UsageError } from '../../errors.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { loadTasks } from '../../task/load.js';
import { saveNativeTask } from '../../task/save.js';
import type { Task } from '../../task/task.js';
import { trialDirOf, trialFile } from '../../runs/folder.js';
import { DEFAULT_DEDUP, findDuplicates, type DedupOn } from '../dedup.js';
import { factsOf } from '../pool/describe.js';
import { workspaceTexts } from '../pool/stats.js';
import { determinismProblem } from './determinism.js';
import { applyQuotas, type Quotas } from './quota.js';
import { FilterReport, type Dropped, type FilterName, type FilterStep, type MutantsSummary } from './report.js';
import { killRate, mutantsProblem, runPoolMutants } from './mutants.js';
import { nopProblem, oracleProblem, runAgentOver } from './trials.js';

export interface FilterOptions {
  paths: string[];
  out: string;
  require: ReadonlyArray<Exclude<FilterName, 'quota'>>;
  quotas: Quotas;
  threshold?: number;
  dedupOn?: DedupOn;
  concurrency: number;
  /** Needed by nop-zero, oracle-pass, deterministic and mutants. */
  sandbox?: Sandbox;
  /** Copy admitted tasks into `out` (else only list them in admitted.txt). */
  copy: boolean;
  signal?: AbortSignal;
  /** Progress: a filter starts, with how many tasks enter it. */
  onStep?: (filter: string, entering: number) => void;
}

export interface FilterOutcome {
  report: FilterReport;
  interrupted: boolean;
}

export async function filterPool(o: FilterOptions): Promise<FilterOutcome> {
  const out = resolve(o.out);
  for (const p of o.paths) if (resolve(p) === out) throw new UsageError(`--out ${o.out} is the pool itself: give another folder`);
  const needsRuns = o.require.some((f) => f === 'nop-zero' || f === 'oracle-pass' || f === 'deterministic' || f === 'mutants');
  if (needsRuns && !o.sandbox) throw new UsageError('nop-zero, oracle-pass, deterministic and mutants need a sandbox');
  const threshold = o.threshold ?? DEFAULT_DEDUP.threshold;
  const steps: FilterStep[] = [];
  const dropped: Dropped[] = [];
  const runs: Record<string, string> = {};
  let alive: Task[] = [];
  const step = async (filter: string, judge: (tasks: Task[]) => Promise<Map<string, string>>) => {
    o.onStep?.(filter, alive.length);
    const entered = alive.length;
    const why = await judge(alive);
    alive = alive.filter((t) => {
      const reason = why.get(t.spec.id);
      if (reason !== undefined) dropped.push({ id: t.spec.id, source: t.source, filter, reason });
      return reason === undefined;
    });
    steps.push({ filter, entered, dropped: entered - alive.length, kept: alive.length });
  };

  // schema: always — a task that does not load cannot be admitted.
  const { tasks, errors } = await loadTasks(o.paths);
  for (const e of errors) for (const p of e.problems) dropped.push({ id: p.file, source: p.file, filter: 'schema', reason: `${p.line ? `${p.line}:${p.column ?? 1}: ` : ''}${p.message}` });
  alive = tasks;
  await step('schema', async (ts) => {
    const why = new Map<string, string>();
    for (const t of ts) {
      const v = t.spec.verify;
      const hasRubric = !!v.rubric && (v.rubric.rules.length > 0 || !!v.rubric.text);
      if (!v.checks.length && !hasRubric) why.set(t.spec.id, 'nothing to verify: no checks and no rubric');
      else if (v.checks.length && v.checks.every((c) => c.weight === 0) && !hasRubric) why.set(t.spec.id, 'every check has weight 0: nothing is scored');
    }
    return why;
  });
  steps[0]!.entered += errors.length;
  steps[0]!.dropped += errors.length;

  let interrupted = false;
  const hooks = { signal: o.signal };
  if (o.require.includes('nop-zero')) {
    const pass = await runAgentOver(o.paths, 'nop', join(out, '.filter', 'nop'), o.sandbox!, o.concurrency, hooks);
    runs.nop = pass.runDir;
    interrupted ||= pass.interrupted;
    if (!interrupted) await step('nop-zero', async (ts) => new Map(ts.flatMap((t) => { const p = nopProblem(pass.results.get(t.spec.id)); return p ? [[t.spec.id, p] as const] : []; })));
  }
  const wantOracle = o.require.includes('oracle-pass') || o.require.includes('deterministic');
  if (wantOracle && !interrupted) {
    const pass = await runAgentOver(o.paths, 'oracle', join(out, '.filter', 'oracle'), o.sandbox!, o.concurrency, hooks);
    runs.oracle = pass.runDir;
    interrupted ||= pass.interrupted;
    if (!interrupted && o.require.includes('oracle-pass')) {
      await step('oracle-pass', async (ts) => new Map(ts.flatMap((t) => { const p = oracleProblem(pass.results.get(t.spec.id)); return p ? [[t.spec.id, p] as const] : []; })));
    }
    if (!interrupted && o.require.includes('deterministic')) {
      await step('deterministic', async (ts) => {
        const why = new Map<string, string>();
        const limit = pLimit(o.concurrency);
        await Promise.all(
          ts.map((t) =>
            limit(async () => {
              if (o.signal?.aborted) return;
              const r = pass.results.get(t.spec.id);
              const trial = r ? join(pass.runDir, r.trial_dir) : trialDirOf(pass.runDir, t.spec.id, 1);
              if (!existsSync(join(trial, 'workspace'))) {
                why.set(t.spec.id, `no final oracle workspace to re-verify${r?.error ? ` (${r.error})` : ''}`);
                return;
              }
              const p = await determinismProblem(t, trialFile(trial, 'workspace'), trialFile(trial, 'transcript'), o.sandbox!);
              if (p) why.set(t.spec.id, p);
            }),
          ),
        );
        if (o.signal?.aborted) interrupted = true;
        return why;
      });
    }
  }

  let mutants: MutantsSummary | undefined;
  if (!interrupted && o.require.includes('mutants')) {
    await step('mutants', async (ts) => {
      const dir = join(out, '.filter', 'mutants');
      runs.mutants = dir;
      const r = await runPoolMutants(ts, { sandbox: o.sandbox!, dir, concurrency: o.concurrency, signal: o.signal });
      if (r.interrupted) {
        interrupted = true;
        return new Map();
      }
      const outcomes = [...r.outcomes.values()];
      const k = killRate(outcomes);
      const variants = outcomes.flatMap((x) => x.mutants.filter((m) => m.kind === 'variant'));
      mutants = { killed: k.killed, wrong: k.wrong, kill_rate: k.rate, variants: variants.length, variants_accepted: variants.filter((m) => m.behaved).length, without_mutants: outcomes.filter((x) => !x.has_mutants).length };
      return new Map(ts.flatMap((t) => { const p = mutantsProblem(r.outcomes.get(t.spec.id)); return p ? [[t.spec.id, p] as const] : []; }));
    });
  }

  if (!interrupted && o.require.includes('dedup')) {
    await step('dedup', async (ts) => {
      // Id order: which copy of a duplicate group survives does not depend on how the pool was listed.
      const sorted = [...ts].sort((a, b) => (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0));
      const ws = await workspaceTexts(sorted);
      const { duplicates } = findDuplicates(sorted.map((t, i) => ({ id: t.spec.id, instruction: t.spec.instruction, workspace: ws[i] })), o.dedupOn ?? 'both', { threshold });
      return new Map(duplicates.map((d) => [d.id, `near-duplicate of ${d.of} (instruction similarity ${d.instruction.toFixed(3)}${d.workspace === null ? '' : `, workspace ${d.workspace.toFixed(3)}`})`]));
    });
  }

  if (!interrupted && (Object.keys(o.quotas.perCategory).length || o.quotas.others !== undefined)) {
    await step('quota', async (ts) => {
      const items = ts.map((t) => ({ ...factsOf(t), task: t }));
      const { dropped: over } = applyQuotas(items, o.quotas);
      return new Map(over.map(({ item, cap }) => [item.id, `category "${item.category}" is capped at ${cap}`]));
    });
  }

  const report: FilterReport = {
    pool: o.paths.map((p) => resolve(p)),
    out,
    required: [...o.require],
    dedup_threshold: threshold,
    quotas: o.quotas,
    steps,
    admitted: interrupted ? [] : alive.map((t) => { const f = factsOf(t); return { id: f.id, source: t.source, category: f.category, family: f.family }; }),
    dropped,
    runs,
    ...(mutants ? { mutants } : {}),
    copied: o.copy,
  };
  if (interrupted) return { report, interrupted };
  await mkdir(out, { recursive: true });
  await writeOutput(out, alive, report, o.copy);
  return { report, interrupted };
}

/** Copy (or list) the admitted tasks; folders a previous filter copied that this one does not are removed. */
async function writeOutput(out: string, admitted: Task[], report: FilterReport, copy: boolean): Promise<void> {
  const reportFile = join(out, 'filter-report.json');
  const now = new Set(admitted.map((t) => t.spec.id));
  if (existsSync(reportFile)) {
    const before = FilterReport.safeParse(JSON.parse(await readFile(reportFile, 'utf8')));
    if (before.success && before.data.copied) for (const a of before.data.admitted) if (!copy || !now.has(a.id)) await rm(join(out, a.id), { recursive: true, force: true });
  }
  if (copy) {
    const limit = pLimit(16);
    await Promise.all(
      admitted.map((t) =>
        limit(async () => {
          const dest = join(out, t.spec.id);
          await rm(dest, { recursive: true, force: true });
          if (t.format === 'native') await cp(t.source, dest, { recursive: true, verbatimSymlinks: true });
          else await saveNativeTask(t, dest);
        }),
      ),
    );
  }
  await writeFile(join(out, 'admitted.txt'), admitted.map((t) => `${t.spec.id}\t${t.source}\n`).join(''));
  await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
}
