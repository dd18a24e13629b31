/** View model of the Verification view: verify.json (+ the trial's result line) → what the webview shows. */
import type { ResultLine } from '../../core/runs/records.js';
import { checkIds, type Check } from '../../core/task/schema.js';
import type { VerifyResult } from '../../core/verify/result.js';
import type { CheckRow, VerificationSource, VerificationState } from '../../protocol/verification.js';
import type { TaskRun } from './review.js';

export const formatScore = (x: number): string => x.toFixed(2);

export function checkRow(c: VerifyResult['code']['checks'][number]): CheckRow {
  return {
    id: c.id,
    type: c.type,
    weight: c.weight,
    score: c.score === null ? 'error' : formatScore(c.score),
    state: c.error ? 'error' : c.passed ? 'passed' : 'failed',
    message: c.message,
    expected: c.expected,
    actual: c.actual,
    details: Object.entries(c.details ?? {}).map(([name, v]) => ({ name, score: formatScore(v) })),
    durationMs: Math.round(c.duration_ms),
  };
}

/** What a check allows beyond an exact match, in words; undefined when it is exact. */
export function checkTolerance(c: Check): string | undefined {
  const parts: string[] = [];
  const o = c as Record<string, unknown>;
  if (typeof o.tolerance === 'number') parts.push(`± ${o.tolerance}`);
  const min = typeof o.min === 'number' ? o.min : undefined;
  const max = typeof o.max === 'number' ? o.max : undefined;
  if (min !== undefined && max !== undefined) parts.push(`between ${min} and ${max}`);
  else if (min !== undefined) parts.push(`at least ${min}`);
  else if (max !== undefined) parts.push(`at most ${max}`);
  const n = o.normalize as { case?: boolean; whitespace?: boolean; trailing_newline?: boolean } | undefined;
  if (n?.case) parts.push('case-insensitive');
  if (n?.whitespace) parts.push('whitespace collapsed');
  if (typeof o.flags === 'string' && o.flags.includes('i')) parts.push('case-insensitive');
  return parts.length ? parts.join(', ') : undefined;
}

/** What the task says about each check now: its tolerance and its line in task.yaml, by id. */
export interface CheckNotes {
  tolerance?: ReadonlyMap<string, string>;
  lines?: ReadonlyMap<string, number>;
}

export function checkNotes(checks: readonly Check[], lines: ReadonlyMap<string, number> = new Map()): CheckNotes {
  const ids = checkIds(checks);
  const tolerance = new Map<string, string>();
  checks.forEach((c, i) => {
    const t = checkTolerance(c);
    if (t) tolerance.set(ids[i]!, t);
  });
  return { tolerance, lines };
}

/** Failing and erroring checks first (errors first), then passing ones, each group in task order. */
const STATE_RANK: Record<CheckRow['state'], number> = { error: 0, failed: 1, passed: 2 };

export function verificationState(v: VerifyResult, source: VerificationSource, line?: ResultLine, notes: CheckNotes = {}): VerificationState {
  const timings = line
    ? (['setup', 'agent', 'verify', 'total'] as const).map((p) => ({ phase: p, ms: Math.round(line.timings[`${p}_ms`]) }))
    : [{ phase: 'verify', ms: Math.round(v.duration_ms) }];
  const exit = line?.agent_exit;
  return {
    taskId: v.task_id,
    source,
    status: v.error ? 'error' : v.passed ? 'passed' : 'failed',
    score: formatScore(v.reward),
    passThreshold: v.pass_threshold,
    error: v.error,
    checks: v.code.checks
      .map((c, i) => ({ row: checkRow(c), i }))
      .sort((a, b) => STATE_RANK[a.row.state] - STATE_RANK[b.row.state] || a.i - b.i)
      .map(({ row }) => {
        const tolerance = notes.tolerance?.get(row.id);
        const at = notes.lines?.get(row.id);
        return { ...row, ...(tolerance ? { tolerance } : {}), ...(at ? { line: at } : {}) };
      }),
    rubric: {
      status: v.rubric.status,
      score: v.rubric.score === null ? null : formatScore(v.rubric.score),
      message: v.rubric.message,
      model: v.rubric.model ?? null,
      error: v.rubric.error ?? null,
      judgments: (v.rubric.judgments ?? []).map((j) => ({ rule: j.rule, score: formatScore(j.score), reason: j.reason, file: j.file_path ?? null })),
    },
    weights: v.weights_applied,
    timings,
    agentExit: !exit ? null : exit.timed_out ? 'timed out' : exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`,
    agentCrash: line?.agent_crash ?? null,
    verifiedAt: v.verified_at,
  };
}

/** The checks a failed test shows as messages: failing and erroring ones, worst first. */
export function failingChecks(v: VerifyResult): Array<{ id: string; message: string; expected?: string; actual?: string }> {
  const rank = (c: VerifyResult['code']['checks'][number]) => (c.error ? 0 : 1);
  return v.code.checks
    .filter((c) => !c.passed && c.weight > 0)
    .sort((a, b) => rank(a) - rank(b))
    .map((c) => ({ id: c.id, message: c.error ? `${c.id}: ${c.error}` : `${c.id}: ${c.message}`, expected: c.expected, actual: c.actual }));
}

/** The trial of a task that finished last across runs (what a Verification view following the task shows). */
export function latestTrial(runs: readonly TaskRun[]): { run: TaskRun; line: ResultLine } | undefined {
  let best: { run: TaskRun; line: ResultLine; at: number } | undefined;
  for (const run of runs) {
    for (const line of run.lines) {
      const at = Date.parse(line.finished_at);
      if (!Number.isFinite(at)) continue;
      if (!best || at > best.at || (at === best.at && line.attempt > best.line.attempt)) best = { run, line, at };
    }
  }
  return best && { run: best.run, line: best.line };
}
