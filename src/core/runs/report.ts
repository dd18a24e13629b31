/**
 * report.json: the aggregates of one run (pass rate, mean reward, pass@k, pass^k, per category,
 * timings, errors), built from run.json and results.jsonl, plus its terminal rendering.
 * Deterministic: the same inputs give byte-identical output (no clocks, stable sort orders).
 */
import pc from 'picocolors';
import { z } from 'zod';
import { histogram, mean, passAtK, passHatK, summarize } from './metrics.js';
import { ErrorKind } from '../errors.js';
import type { ResultLine, RunManifest } from './records.js';
import { addUsage, EMPTY_USAGE, LlmUsageTotals } from '../llm/usage.js';

const Rate = z.number().min(0).max(1).nullable();
const Count = z.number().int().min(0);

/** An error line without a kind (should not happen, but results.jsonl allows it) counts as unknown. */
export const ReportErrorKind = z.enum([...ErrorKind.options, 'unknown']);
export type ReportErrorKind = z.infer<typeof ReportErrorKind>;

export const TimingSummary = z.object({
  mean: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
});
export type TimingSummary = z.infer<typeof TimingSummary>;

export const PHASES = ['setup_ms', 'agent_ms', 'verify_ms', 'total_ms'] as const;
export type Phase = (typeof PHASES)[number];

export const ReportTask = z.object({
  id: z.string(),
  category: z.string().nullable(),
  /** Finished trials of this task. */
  attempts: Count,
  passes: Count,
  errors: Count,
  pass_rate: Rate,
  mean_reward: Rate,
});
export type ReportTask = z.infer<typeof ReportTask>;

export const Report = z.object({
  schema_version: z.literal(1),
  run_id: z.string(),
  agent: z.string(),
  created_at: z.string(),
  /** Attempts per task asked for. */
  attempts: z.number().int().min(1),
  counts: z.object({
    tasks: Count,
    trials_expected: Count,
    trials_finished: Count,
    /** Expected trials of manifest tasks with no result yet (an interrupted run). */
    trials_missing: Count,
    /** passed + failed + errored = trials_finished: an errored trial is neither passed nor failed. */
    passed: Count,
    failed: Count,
    errored: Count,
    errors_by_kind: z.record(ReportErrorKind, Count),
    harness_retries: Count,
    tasks_not_run: Count,
  }),
  /** Over finished trials; null when none finished. */
  pass_rate: Rate,
  mean_reward: Rate,
  /** k = 1..attempts, each averaged over the tasks with at least k finished trials. */
  at_k: z.array(z.object({ k: z.number().int().min(1), tasks: Count, pass_at_k: Rate, pass_hat_k: Rate })),
  /** Sorted by name; tasks without a category are "uncategorized". */
  categories: z.array(
    z.object({ name: z.string(), tasks: Count, trials: Count, passed: Count, pass_rate: Rate, mean_reward: Rate }),
  ),
  /** 10 bins over [0, 1]; a reward of 1.0 falls in the last. */
  histogram: z.array(z.object({ lo: z.number(), hi: z.number(), count: Count })),
  timings: z.object({
    /** Trials the phase figures are over: those that got as far as running the agent. */
    trials: Count,
    setup_ms: TimingSummary,
    agent_ms: TimingSummary,
    verify_ms: TimingSummary,
    total_ms: TimingSummary,
    /** Earliest trial start to latest finish; null without parseable timestamps. */
    wall_ms: z.number().nullable(),
  }),
  /** Model usage over finished trials (agent and rubric judge apart); null when no trial called a model. */
  llm: z.object({ trials: Count, agent: LlmUsageTotals, judge: LlmUsageTotals }).nullable().default(null),
  /** Every task of the manifest (and any result for a task outside it), sorted by id. */
  tasks: z.array(ReportTask),
  tasks_not_run: z.array(z.string()),
  errors: z.array(
    z.object({ task_id: z.string(), attempt: z.number().int(), kind: ReportErrorKind, message: z.string(), trial_dir: z.string() }),
  ),
  /** Trials whose agent crashed (results' `agent_crash`), whatever the verifier scored. */
  crashed: z
    .array(z.object({ task_id: z.string(), attempt: z.number().int(), reward: z.number(), crash: z.string(), trial_dir: z.string() }))
    .default([]),
});
export type Report = z.infer<typeof Report>;

export const UNCATEGORIZED = 'uncategorized';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Last line wins for a repeated (task, attempt): a re-run trial supersedes the old one. */
export function dedupe(results: readonly ResultLine[]): ResultLine[] {
  const byKey = new Map<string, ResultLine>();
  for (const r of results) {
    const key = `${r.task_id}\u0000${r.attempt}`;
    byKey.delete(key); // keep insertion order = order of the winning line
    byKey.set(key, r);
  }
  return [...byKey.values()];
}

function rate(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

export function buildReport(manifest: RunManifest, results: readonly ResultLine[]): Report {
  const lines = dedupe(results);
  const byTask = new Map<string, ResultLine[]>();
  const categoryOf = new Map<string, string | null>();
  for (const t of manifest.tasks) {
    byTask.set(t.id, []);
    categoryOf.set(t.id, t.category);
  }
  for (const r of lines) {
    let list = byTask.get(r.task_id);
    if (!list) byTask.set(r.task_id, (list = []));
    list.push(r);
    if (!categoryOf.get(r.task_id)) categoryOf.set(r.task_id, r.category);
  }
  const taskIds = [...byTask.keys()].sort(byString);

  const tasks: ReportTask[] = taskIds.map((id) => {
    const rs = byTask.get(id)!.sort((a, b) => a.attempt - b.attempt);
    const passes = rs.filter((r) => r.passed).length;
    return {
      id,
      category: categoryOf.get(id) ?? null,
      attempts: rs.length,
      passes,
      errors: rs.filter((r) => r.error !== null).length,
      pass_rate: rate(passes, rs.length),
      mean_reward: mean(rs.map((r) => r.reward)),
    };
  });

  const manifestIds = new Set(manifest.tasks.map((t) => t.id));
  let trialsMissing = 0;
  for (const id of manifestIds) {
    const done = new Set(byTask.get(id)!.map((r) => r.attempt));
    for (let a = 1; a <= manifest.attempts; a++) if (!done.has(a)) trialsMissing++;
  }
  const tasksNotRun = tasks.filter((t) => t.attempts === 0 && manifestIds.has(t.id)).map((t) => t.id);

  const errorsByKind = Object.fromEntries(ReportErrorKind.options.map((k) => [k, 0])) as Record<ReportErrorKind, number>;
  const errored = lines.filter((r) => r.error !== null);
  for (const r of errored) errorsByKind[r.error_kind ?? 'unknown']++;
  const passed = lines.filter((r) => r.passed).length;

  // pass@k needs k draws without replacement, so a task enters the average for k only with n ≥ k.
  const at_k: Report['at_k'] = [];
  for (let k = 1; k <= manifest.attempts; k++) {
    const eligible = tasks.filter((t) => t.attempts >= k);
    at_k.push({
      k,
      tasks: eligible.length,
      pass_at_k: mean(eligible.map((t) => passAtK(t.attempts, t.passes, k))),
      pass_hat_k: mean(eligible.map((t) => passHatK(t.attempts, t.passes, k))),
    });
  }

  const categoryNames = [...new Set(tasks.map((t) => t.category ?? UNCATEGORIZED))].sort(byString);
  const categories = categoryNames.map((name) => {
    const members = tasks.filter((t) => (t.category ?? UNCATEGORIZED) === name);
    const rs = members.flatMap((t) => byTask.get(t.id)!);
    const p = rs.filter((r) => r.passed).length;
    return { name, tasks: members.length, trials: rs.length, passed: p, pass_rate: rate(p, rs.length), mean_reward: mean(rs.map((r) => r.reward)) };
  });

  const rewards = lines.map((r) => r.reward);
  const counts = histogram(rewards, 10);
  const hist = counts.map((count, i) => ({ lo: i / 10, hi: (i + 1) / 10, count }));

  // Error lines written before the agent ran carry zero phases; they would drag the figures down.
  const timed = lines.filter((r) => r.agent_exit !== null);
  const phase = (p: Phase): TimingSummary => summarize(timed.map((r) => r.timings[p]));
  let start = Infinity;
  let end = -Infinity;
  for (const r of lines) {
    const fin = Date.parse(r.finished_at);
    if (Number.isNaN(fin)) continue;
    start = Math.min(start, fin - r.timings.total_ms);
    end = Math.max(end, fin);
  }

  const errors = errored
    .map((r) => ({ task_id: r.task_id, attempt: r.attempt, kind: r.error_kind ?? ('unknown' as const), message: r.error ?? '', trial_dir: r.trial_dir }))
    .sort((a, b) => byString(a.task_id, b.task_id) || a.attempt - b.attempt);

  return {
    schema_version: 1,
    run_id: manifest.run_id,
    agent: manifest.agent.name,
    created_at: manifest.created_at,
    attempts: manifest.attempts,
    counts: {
      tasks: manifest.tasks.length,
      trials_expected: manifest.tasks.length * manifest.attempts,
      trials_finished: lines.length,
      trials_missing: trialsMissing,
      passed,
      failed: lines.length - passed - errored.length,
      errored: errored.length,
      errors_by_kind: errorsByKind,
      harness_retries: lines.reduce((s, r) => s + r.harness_retries, 0),
      tasks_not_run: tasksNotRun.length,
    },
    pass_rate: rate(passed, lines.length),
    mean_reward: mean(rewards),
    at_k,
    categories,
    histogram: hist,
    timings: {
      trials: timed.length,
      setup_ms: phase('setup_ms'),
      agent_ms: phase('agent_ms'),
      verify_ms: phase('verify_ms'),
      total_ms: phase('total_ms'),
      wall_ms: end >= start ? end - start : null,
    },
    llm: llmTotals(lines),
    tasks,
    tasks_not_run: tasksNotRun,
    errors,
    crashed: lines
      .filter((r) => r.agent_crash)
      .map((r) => ({ task_id: r.task_id, attempt: r.attempt, reward: r.reward, crash: r.agent_crash!, trial_dir: r.trial_dir }))
      .sort((a, b) => byString(a.task_id, b.task_id) || a.attempt - b.attempt),
  };
}

function llmTotals(lines: readonly ResultLine[]): Report['llm'] {
  const used = lines.filter((r) => r.llm);
  if (!used.length) return null;
  let agent = EMPTY_USAGE;
  let judge = EMPTY_USAGE;
  for (const r of used) {
    if (r.llm!.agent) agent = addUsage(agent, r.llm!.agent);
    if (r.llm!.judge) judge = addUsage(judge, r.llm!.judge);
  }
  return { trials: used.length, agent, judge };
}

/** "12 calls · 45.2K prompt + 3.1K completion tokens · $0.0123" (cost only when priced). */
export function formatUsage(u: LlmUsageTotals): string {
  const k = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}K` : String(n));
  const parts = [plural(u.calls, 'call'), `${k(u.prompt_tokens)} prompt + ${k(u.completion_tokens)} completion tokens`];
  if (u.cost_usd !== null) parts.push(`$${u.cost_usd.toFixed(4)}`);
  return parts.join(' · ');
}

// ---- formatting shared by the text, HTML and comparison renderers ----

export function formatPercent(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

export function formatReward(x: number | null): string {
  return x === null ? '—' : x.toFixed(3);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line of untrusted text safe for a terminal: first line only, control characters blanked. */
export function terminalSafe(s: string, max = 200): string {
  const lines = s.split(/\r?\n/);
  let first = (lines[0] ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  if (first.length > max) first = `${first.slice(0, max - 1)}…`;
  const more = lines.length - 1;
  return more > 0 ? `${first} (+${more} more line${more === 1 ? '' : 's'})` : first;
}

/** Pads cells to aligned columns; `right[i]` right-aligns column i. Colour is applied after. */
export function alignColumns(rows: readonly (readonly string[])[], right: readonly boolean[]): string[][] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((row) =>
    row.map((c, i) => {
      const pad = ' '.repeat((widths[i] ?? 0) - [...c].length);
      return right[i] ? pad + c : c + pad;
    }),
  );
}

const MAX_ERRORS_PER_KIND = 10;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatReportText(report: Report, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const n = report.counts;
  const table = (header: string[], rows: string[][], right: boolean[]): void => {
    const [head, ...body] = alignColumns([header, ...rows], right);
    out.push(`  ${c.dim(head!.join('  '))}`);
    for (const r of body) out.push(`  ${r.join('  ')}`);
  };

  out.push(`${c.bold('Run')} ${terminalSafe(report.run_id)}`);
  out.push(c.dim(`  agent ${terminalSafe(report.agent)} · created ${terminalSafe(report.created_at)} · ${plural(report.attempts, 'attempt')} per task`));
  out.push('');
  const parts = [
    `${n.trials_finished} of ${plural(n.trials_expected, 'trial')} finished`,
    c.green(`${n.passed} passed`),
    `${n.failed} failed`,
    n.errored ? c.red(plural(n.errored, 'error')) : '0 errors',
  ];
  if (n.harness_retries) parts.push(c.yellow(`${n.harness_retries} harness retr${n.harness_retries === 1 ? 'y' : 'ies'}`));
  if (report.crashed.length) parts.push(c.red(`${report.crashed.length} agent crash${report.crashed.length === 1 ? '' : 'es'}`));
  out.push(parts.join(' · '));
  if (n.tasks_not_run || n.trials_missing) {
    out.push(c.yellow(`${plural(n.tasks_not_run, 'task')} not run yet, ${plural(n.trials_missing, 'trial')} missing`));
  }
  out.push(`Pass rate    ${c.bold(formatPercent(report.pass_rate))}`);
  out.push(`Mean reward  ${c.bold(formatReward(report.mean_reward))}`);
  if (report.llm) {
    if (report.llm.agent.calls) out.push(`Model calls  ${formatUsage(report.llm.agent)}`);
    if (report.llm.judge.calls) out.push(`Judge calls  ${formatUsage(report.llm.judge)}`);
  }

  if (report.at_k.length) {
    out.push('');
    table(
      ['k', 'pass@k', 'pass^k', 'tasks'],
      report.at_k.map((r) => [String(r.k), formatPercent(r.pass_at_k), formatPercent(r.pass_hat_k), String(r.tasks)]),
      [true, true, true, true],
    );
  }

  if (report.categories.length) {
    out.push('');
    table(
      ['category', 'tasks', 'trials', 'pass rate', 'mean reward'],
      report.categories.map((r) => [terminalSafe(r.name, 40), String(r.tasks), String(r.trials), formatPercent(r.pass_rate), formatReward(r.mean_reward)]),
      [false, true, true, true, true],
    );
  }

  const t = report.timings;
  out.push('');
  table(
    [`phase (${plural(t.trials, 'trial')})`, 'mean', 'p50', 'p90', 'p99'],
    PHASES.map((p) => [p.replace(/_ms$/, ''), formatDuration(t[p].mean), formatDuration(t[p].p50), formatDuration(t[p].p90), formatDuration(t[p].p99)]),
    [false, true, true, true, true],
  );
  out.push(`Wall time  ${formatDuration(t.wall_ms)}`);

  if (report.crashed.length) {
    out.push('');
    out.push(c.red(c.bold(`Agent crashed (${report.crashed.length}): the reward is the verifier's, the agent did not end cleanly`)));
    for (const e of report.crashed.slice(0, MAX_ERRORS_PER_KIND)) out.push(`  ${terminalSafe(e.task_id, 60)} #${e.attempt}  reward ${formatReward(e.reward)}  ${c.dim(terminalSafe(e.crash))}`);
    if (report.crashed.length > MAX_ERRORS_PER_KIND) out.push(c.dim(`  … and ${report.crashed.length - MAX_ERRORS_PER_KIND} more`));
  }

  if (report.errors.length) {
    out.push('');
    out.push(c.red(c.bold(`Errors (${report.errors.length})`)));
    for (const kind of ReportErrorKind.options) {
      const errs = report.errors.filter((e) => e.kind === kind);
      if (!errs.length) continue;
      out.push(`  ${c.red(kind)} (${errs.length})`);
      for (const e of errs.slice(0, MAX_ERRORS_PER_KIND)) out.push(`    ${terminalSafe(e.task_id, 60)} #${e.attempt}  ${c.dim(terminalSafe(e.message))}`);
      if (errs.length > MAX_ERRORS_PER_KIND) out.push(c.dim(`    … and ${errs.length - MAX_ERRORS_PER_KIND} more`));
    }
  }
  return `${out.join('\n')}\n`;
}
