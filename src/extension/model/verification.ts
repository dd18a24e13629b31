/** View model of the Verification view: verify.json (+ the trial's result line) → what the webview shows. */
import type { ResultLine } from '../../core/runs/records.js';
import type { VerifyResult } from '../../core/verify/result.js';
import type { CheckRow, VerificationSource, VerificationState } from '../../protocol/verification.js';

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

export function verificationState(v: VerifyResult, source: VerificationSource, line?: ResultLine): VerificationState {
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
    checks: v.code.checks.map(checkRow),
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
