/**
 * Compare two run reports task by task: which tasks got worse (regressions) or better (gains)
 * from run A to run B, which exist in only one, and how the headline numbers moved.
 * A task counts as present in a run when it has at least one finished trial there.
 */
import pc from 'picocolors';
import { z } from 'zod';
import { readRunFolder } from './folder.js';
import { alignColumns, buildReport, formatPercent, formatReward, terminalSafe, type Report, type ReportTask } from './report.js';

const Rate = z.number().min(0).max(1).nullable();
const Delta = z.number().nullable();
const Headline = z.object({ pass_rate: Rate, mean_reward: Rate });

export const TaskSide = z.object({ attempts: z.number().int().min(1), pass_rate: z.number(), mean_reward: z.number() });

export const TaskDelta = z.object({
  id: z.string(),
  category: z.string().nullable(),
  a: TaskSide,
  b: TaskSide,
  /** B − A. */
  delta_reward: z.number(),
  delta_pass_rate: z.number(),
});
export type TaskDelta = z.infer<typeof TaskDelta>;

const Totals = z.object({ a: Headline, b: Headline, delta_pass_rate: Delta, delta_mean_reward: Delta });

export const Comparison = z.object({
  a: z.object({ run_id: z.string(), agent: z.string() }),
  b: z.object({ run_id: z.string(), agent: z.string() }),
  /** A task regresses when its mean reward drops by more than this, and gains when it rises by more. */
  threshold: z.number().min(0),
  /** Each run's own headline numbers, over all its finished trials. */
  overall: Totals,
  /** The same numbers restricted to the tasks both runs finished: the like-for-like view. */
  shared: Totals.extend({ tasks: z.number().int().min(0) }),
  /** Tasks present in both, sorted by id. */
  tasks: z.array(TaskDelta),
  /** Worst drop first. */
  regressions: z.array(TaskDelta),
  /** Biggest rise first. */
  gains: z.array(TaskDelta),
  unchanged: z.number().int().min(0),
  only_in_a: z.array(z.string()),
  only_in_b: z.array(z.string()),
});
export type Comparison = z.infer<typeof Comparison>;

// Float noise (0.1 + 0.2 − 0.3) must not turn an unchanged task into a gain at threshold 0.
export const EPS = 1e-9;

function present(r: Report): Map<string, ReportTask> {
  return new Map(r.tasks.filter((t) => t.attempts > 0).map((t) => [t.id, t]));
}

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

/** Trial-weighted pass rate and mean reward over some of a report's tasks. */
function headline(tasks: readonly ReportTask[]): z.infer<typeof Headline> {
  const trials = tasks.reduce((s, t) => s + t.attempts, 0);
  if (trials === 0) return { pass_rate: null, mean_reward: null };
  return {
    pass_rate: tasks.reduce((s, t) => s + t.passes, 0) / trials,
    mean_reward: tasks.reduce((s, t) => s + (t.mean_reward ?? 0) * t.attempts, 0) / trials,
  };
}

function totals(a: z.infer<typeof Headline>, b: z.infer<typeof Headline>): z.infer<typeof Totals> {
  return { a, b, delta_pass_rate: diff(a.pass_rate, b.pass_rate), delta_mean_reward: diff(a.mean_reward, b.mean_reward) };
}

const byId = (x: { id: string }, y: { id: string }): number => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

export function compareRuns(a: Report, b: Report, opts: { threshold?: number } = {}): Comparison {
  const threshold = opts.threshold ?? 0;
  if (!Number.isFinite(threshold) || threshold < 0) throw new RangeError(`threshold must be a number ≥ 0, got ${threshold}`);
  const inA = present(a);
  const inB = present(b);
  const side = (t: ReportTask): z.infer<typeof TaskSide> => ({ attempts: t.attempts, pass_rate: t.pass_rate ?? 0, mean_reward: t.mean_reward ?? 0 });

  const tasks: TaskDelta[] = [];
  for (const [id, ta] of inA) {
    const tb = inB.get(id);
    if (!tb) continue;
    const sa = side(ta);
    const sb = side(tb);
    tasks.push({
      id,
      category: tb.category ?? ta.category,
      a: sa,
      b: sb,
      delta_reward: sb.mean_reward - sa.mean_reward,
      delta_pass_rate: sb.pass_rate - sa.pass_rate,
    });
  }
  tasks.sort(byId);

  const regressions = tasks.filter((t) => t.delta_reward < -threshold - EPS).sort((x, y) => x.delta_reward - y.delta_reward || byId(x, y));
  const gains = tasks.filter((t) => t.delta_reward > threshold + EPS).sort((x, y) => y.delta_reward - x.delta_reward || byId(x, y));
  const sharedIds = new Set(tasks.map((t) => t.id));
  const sharedOf = (m: Map<string, ReportTask>): ReportTask[] => [...m.values()].filter((t) => sharedIds.has(t.id));

  return {
    a: { run_id: a.run_id, agent: a.agent },
    b: { run_id: b.run_id, agent: b.agent },
    threshold,
    overall: totals({ pass_rate: a.pass_rate, mean_reward: a.mean_reward }, { pass_rate: b.pass_rate, mean_reward: b.mean_reward }),
    shared: { tasks: tasks.length, ...totals(headline(sharedOf(inA)), headline(sharedOf(inB))) },
    tasks,
    regressions,
    gains,
    unchanged: tasks.length - regressions.length - gains.length,
    only_in_a: [...inA.keys()].filter((id) => !inB.has(id)).sort(),
    only_in_b: [...inB.keys()].filter((id) => !inA.has(id)).sort(),
  };
}

/** Compare two run folders from their results (what `clawgym compare` and the editor's compare view show). */
export function compareRunFolders(a: string, b: string, opts: { threshold?: number } = {}): Comparison {
  const report = (dir: string): Report => {
    const run = readRunFolder(dir);
    return buildReport(run.manifest, run.results);
  };
  return compareRuns(report(a), report(b), opts);
}

// ---- terminal rendering ----

const MAX_LISTED = 25;

/** "+0.250", "-1.0 pp", "±0.000"; "—" for no value. */
export function signed(x: number | null, digits: number, suffix = ''): string {
  if (x === null) return '—';
  const v = Math.abs(x) < 0.5 * 10 ** -digits ? 0 : x; // no "-0.000"
  return `${v > 0 ? '+' : v < 0 ? '-' : '±'}${Math.abs(v).toFixed(digits)}${suffix}`;
}

export function formatComparisonText(cmp: Comparison, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const tone = (x: number | null, s: string): string => (x === null || Math.abs(x) <= EPS ? s : x > 0 ? c.green(s) : c.red(s));
  const table = (rows: string[][], right: boolean[], paint?: (row: number, col: number, cell: string) => string): void => {
    alignColumns(rows, right).forEach((r, i) => {
      const cells = r.map((cell, j) => (i === 0 ? c.dim(cell) : paint ? paint(i - 1, j, cell) : cell));
      out.push(`  ${cells.join('  ')}`);
    });
  };

  out.push(`${c.bold('A')}  ${terminalSafe(cmp.a.run_id)} ${c.dim(`(agent ${terminalSafe(cmp.a.agent)})`)}`);
  out.push(`${c.bold('B')}  ${terminalSafe(cmp.b.run_id)} ${c.dim(`(agent ${terminalSafe(cmp.b.agent)})`)}`);
  out.push('');
  const headRows: [string, z.infer<typeof Totals>][] = [
    ['all trials', cmp.overall],
    [`${cmp.shared.tasks} shared tasks`, cmp.shared],
  ];
  const rows = [['', 'A pass', 'B pass', 'Δ pass', 'A reward', 'B reward', 'Δ reward']];
  const deltas: (number | null)[][] = [];
  for (const [label, t] of headRows) {
    rows.push([
      label,
      formatPercent(t.a.pass_rate),
      formatPercent(t.b.pass_rate),
      signed(t.delta_pass_rate === null ? null : t.delta_pass_rate * 100, 1, ' pp'),
      formatReward(t.a.mean_reward),
      formatReward(t.b.mean_reward),
      signed(t.delta_mean_reward, 3),
    ]);
    deltas.push([t.delta_pass_rate, t.delta_mean_reward]);
  }
  table(rows, [false, true, true, true, true, true, true], (r, col, cell) =>
    col === 3 ? tone(deltas[r]![0]!, cell) : col === 6 ? tone(deltas[r]![1]!, cell) : cell,
  );

  const list = (title: string, items: TaskDelta[], paint: (s: string) => string): void => {
    out.push('');
    out.push(paint(c.bold(`${title} (${items.length})`)) + (cmp.threshold > 0 ? c.dim(`  threshold ${cmp.threshold}`) : ''));
    if (!items.length) return;
    const shown = items.slice(0, MAX_LISTED);
    table(
      [['task', 'A reward', 'B reward', 'Δ reward', 'A pass', 'B pass'], ...shown.map((t) => [
        terminalSafe(t.id, 60),
        formatReward(t.a.mean_reward),
        formatReward(t.b.mean_reward),
        signed(t.delta_reward, 3),
        formatPercent(t.a.pass_rate),
        formatPercent(t.b.pass_rate),
      ])],
      [false, true, true, true, true, true],
      (_r, col, cell) => (col === 3 ? paint(cell) : cell),
    );
    if (items.length > MAX_LISTED) out.push(c.dim(`  … and ${items.length - MAX_LISTED} more (--json lists all)`));
  };
  list('Regressions', cmp.regressions, c.red);
  list('Gains', cmp.gains, c.green);
  out.push('');
  out.push(c.dim(`Unchanged: ${cmp.unchanged}`));

  const ids = (title: string, xs: string[]): void => {
    const shown = xs.slice(0, MAX_LISTED).map((x) => terminalSafe(x, 60));
    const more = xs.length > MAX_LISTED ? `, … and ${xs.length - MAX_LISTED} more` : '';
    out.push(`${title} (${xs.length})${xs.length ? `: ${shown.join(', ')}${more}` : ''}`);
  };
  ids('Only in A', cmp.only_in_a);
  ids('Only in B', cmp.only_in_b);
  return `${out.join('\n')}\n`;
}
