/**
 * `clawgym bench calibrate`: what reference runs say about a bench. Per task: the solve rate (mean
 * of the agents' pass rates), its difficulty band, the spread between agents (best minus worst
 * pass rate) and, with three or more agents, its discrimination index (the correlation, across
 * agents, between solving this task and the agent's overall solve rate: high when the task tells
 * strong agents from weak ones). Per category: size, share and band mix. Per pair of agents: on how
 * many tasks each is clearly better. Deterministic: stable sort orders, no clocks.
 */
import pc from 'picocolors';
import { z } from 'zod';
import type { RunFolder } from '../runs/folder.js';
import { mean } from '../runs/metrics.js';
import { alignColumns, formatPercent, terminalSafe } from '../runs/report.js';
import { Band, BAND_RULES, BANDS, referenceAgents, solveOf } from './difficulty.js';
import type { BenchManifest } from './manifest.js';

/** A pass-rate gap at least this large means one agent clearly does better on a task. */
export const SEPARATION = 0.5;

const Rate = z.number().min(0).max(1).nullable();
const Count = z.number().int().min(0);
const BandCounts = z.record(Band, Count);

export const Calibration = z.object({
  bench: z.object({ dir: z.string(), name: z.string(), version: z.string(), tasks: Count }),
  bands: z.array(z.object({ band: Band, rule: z.string(), tasks: Count })),
  agents: z.array(
    z.object({ label: z.string(), run_id: z.string(), run_dir: z.string(), agent: z.string(), model: z.string().nullable(), tasks_tried: Count, trials: Count, solve_rate: Rate }),
  ),
  tasks: z.array(
    z.object({
      id: z.string(),
      category: z.string(),
      trials: Count,
      solve_rate: Rate,
      band: Band,
      /** In the order of `agents`; null where the agent has no trial of the task. */
      per_agent: z.array(Rate),
      /** Best minus worst pass rate among the agents that tried it; null with fewer than two. */
      spread: Rate,
      /** Pearson correlation across agents of task pass rate and overall solve rate; null with fewer than three agents or no variation. */
      discrimination: z.number().min(-1).max(1).nullable(),
    }),
  ),
  categories: z.array(z.object({ name: z.string(), tasks: Count, share: z.number(), solve_rate: Rate, bands: BandCounts })),
  balance: z.object({
    categories: Count,
    /** The share each category would have if the bench were even. */
    even_share: z.number().nullable(),
    min_share: z.number().nullable(),
    max_share: z.number().nullable(),
    /** Largest category over smallest (1 = perfectly even). */
    ratio: z.number().nullable(),
  }),
  discrimination: z.object({
    threshold: z.number(),
    /** Tasks on which some agent's pass rate is at least `threshold` above another's, most separating first. */
    separating: z.array(z.string()),
    mean_spread: Rate,
    pairs: z.array(z.object({ a: z.string(), b: z.string(), both_tried: Count, a_better: Count, b_better: Count, even: Count })),
  }),
  ignored: z.object({
    /** Result lines for tasks that are not in the bench. */
    results_outside_bench: Count,
    /** Trials that ended in a harness error (not a measurement of the agent). */
    harness_errors: Count,
  }),
});
export type Calibration = z.infer<typeof Calibration>;

function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const mx = mean(xs);
  const my = mean(ys);
  if (mx === null || my === null) return null;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const dx = x - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  });
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function calibrate(benchDir: string, manifest: BenchManifest, runs: readonly RunFolder[]): Calibration {
  const agents = referenceAgents(runs);
  const inBench = new Set(manifest.tasks.map((t) => t.id));
  let outside = 0;
  let harness = 0;
  for (const r of runs) for (const l of r.results) {
    if (!inBench.has(l.task_id)) outside++;
    else if (l.error_kind === 'harness') harness++;
  }

  const tasks0 = [...manifest.tasks].sort((a, b) => byString(a.id, b.id)).map((t) => ({ t, solve: solveOf(t.id, agents) }));
  // An agent's ability: its mean pass rate over the bench tasks it tried.
  const ability = agents.map((_, i) => mean(tasks0.map((x) => x.solve.per_agent[i]).filter((v): v is number => v !== null)));
  const tasks: Calibration['tasks'] = tasks0.map(({ t, solve }) => {
    const tried = solve.per_agent.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => x.v !== null);
    const spread = tried.length >= 2 ? Math.max(...tried.map((x) => x.v)) - Math.min(...tried.map((x) => x.v)) : null;
    const withAbility = tried.filter((x) => ability[x.i] !== null);
    const discrimination = withAbility.length >= 3 ? pearson(withAbility.map((x) => x.v), withAbility.map((x) => ability[x.i]!)) : null;
    return { id: t.id, category: t.category, trials: solve.trials, solve_rate: solve.rate, band: solve.band, per_agent: solve.per_agent, spread, discrimination };
  });

  const bandCounts = (ts: typeof tasks) => Object.fromEntries(BANDS.map((b) => [b, ts.filter((t) => t.band === b).length])) as Record<Band, number>;
  const catNames = [...new Set(tasks.map((t) => t.category))].sort(byString);
  const n = tasks.length;
  const categories = catNames.map((name) => {
    const ts = tasks.filter((t) => t.category === name);
    return { name, tasks: ts.length, share: n ? ts.length / n : 0, solve_rate: mean(ts.map((t) => t.solve_rate).filter((v): v is number => v !== null)), bands: bandCounts(ts) };
  });
  const sizes = categories.map((c) => c.tasks);

  const pairs: Calibration['discrimination']['pairs'] = [];
  for (let i = 0; i < agents.length; i++) {
    for (let j = i + 1; j < agents.length; j++) {
      const both = tasks.filter((t) => t.per_agent[i] !== null && t.per_agent[j] !== null);
      const diff = both.map((t) => t.per_agent[i]! - t.per_agent[j]!);
      pairs.push({
        a: agents[i]!.label,
        b: agents[j]!.label,
        both_tried: both.length,
        a_better: diff.filter((d) => d >= SEPARATION - 1e-9).length,
        b_better: diff.filter((d) => d <= -SEPARATION + 1e-9).length,
        even: diff.filter((d) => Math.abs(d) < SEPARATION - 1e-9).length,
      });
    }
  }
  const separating = tasks
    .filter((t) => t.spread !== null && t.spread >= SEPARATION - 1e-9)
    .sort((a, b) => b.spread! - a.spread! || (b.discrimination ?? -2) - (a.discrimination ?? -2) || byString(a.id, b.id))
    .map((t) => t.id);

  return {
    bench: { dir: benchDir, name: manifest.name, version: manifest.version, tasks: n },
    bands: BANDS.map((b) => ({ band: b, rule: BAND_RULES[b], tasks: tasks.filter((t) => t.band === b).length })),
    agents: agents.map((a, i) => {
      const tried = manifest.tasks.filter((t) => a.tasks.has(t.id));
      return { label: a.label, run_id: a.run_id, run_dir: a.run_dir, agent: a.agent, model: a.model, tasks_tried: tried.length, trials: tried.reduce((s, t) => s + a.tasks.get(t.id)!.trials, 0), solve_rate: ability[i] ?? null };
    }),
    tasks,
    categories,
    balance: {
      categories: categories.length,
      even_share: categories.length ? 1 / categories.length : null,
      min_share: categories.length ? Math.min(...categories.map((c) => c.share)) : null,
      max_share: categories.length ? Math.max(...categories.map((c) => c.share)) : null,
      ratio: sizes.length ? Math.max(...sizes) / Math.min(...sizes) : null,
    },
    discrimination: { threshold: SEPARATION, separating, mean_spread: mean(tasks.map((t) => t.spread).filter((v): v is number => v !== null)), pairs },
    ignored: { results_outside_bench: outside, harness_errors: harness },
  };
}

const MAX_SEPARATING_SHOWN = 15;

export function formatCalibrationText(c: Calibration, opts: { color: boolean }): string {
  const k = pc.createColors(opts.color);
  const out: string[] = [];
  const table = (header: string[], rows: string[][], right: boolean[]) => {
    const [head, ...body] = alignColumns([header, ...rows], right);
    out.push(`  ${k.dim(head!.join('  '))}`);
    for (const r of body) out.push(`  ${r.join('  ')}`);
  };
  out.push(`${k.bold('Bench')} ${terminalSafe(c.bench.name)} ${terminalSafe(c.bench.version)}: ${c.bench.tasks} task(s), ${c.agents.length} reference agent(s)`);
  out.push(`bands: ${c.bands.map((b) => `${b.band} ${b.tasks}`).join(' · ')}`);
  out.push('');
  table(['agent', 'run', 'tasks', 'trials', 'solve rate'], c.agents.map((a) => [terminalSafe(a.label, 40), terminalSafe(a.run_id, 40), String(a.tasks_tried), String(a.trials), formatPercent(a.solve_rate)]), [false, false, true, true, true]);
  out.push('');
  table(
    ['category', 'tasks', 'share', 'solve rate', ...BANDS],
    c.categories.map((x) => [terminalSafe(x.name, 40), String(x.tasks), formatPercent(x.share), formatPercent(x.solve_rate), ...BANDS.map((b) => String(x.bands[b]))]),
    [false, true, true, true, ...BANDS.map(() => true)],
  );
  const b = c.balance;
  if (b.categories) out.push(`balance: ${b.categories} categories, shares ${formatPercent(b.min_share)}–${formatPercent(b.max_share)} (even: ${formatPercent(b.even_share)}), largest/smallest ${b.ratio?.toFixed(2) ?? '—'}`);
  out.push('');
  const d = c.discrimination;
  out.push(`discrimination: ${d.separating.length} task(s) separate agents (pass-rate gap ≥ ${formatPercent(d.threshold)}), mean spread ${formatPercent(d.mean_spread)}`);
  for (const p of d.pairs) out.push(`  ${terminalSafe(p.a, 40)} vs ${terminalSafe(p.b, 40)}: better on ${p.a_better}, worse on ${p.b_better}, even on ${p.even} (of ${p.both_tried})`);
  const byId = new Map(c.tasks.map((t) => [t.id, t]));
  if (d.separating.length) {
    out.push('  most separating:');
    for (const id of d.separating.slice(0, MAX_SEPARATING_SHOWN)) {
      const t = byId.get(id)!;
      out.push(`    ${terminalSafe(id, 60)}  spread ${formatPercent(t.spread)}  ${t.per_agent.map((v, i) => `${terminalSafe(c.agents[i]!.label, 30)} ${formatPercent(v)}`).join(', ')}`);
    }
    if (d.separating.length > MAX_SEPARATING_SHOWN) out.push(`    … ${d.separating.length - MAX_SEPARATING_SHOWN} more (--json or --html)`);
  }
  if (c.ignored.results_outside_bench || c.ignored.harness_errors) out.push(k.yellow(`ignored: ${c.ignored.results_outside_bench} result(s) for tasks outside the bench, ${c.ignored.harness_errors} harness error(s)`));
  return out.join('\n');
}
