/**
 * View model of the run comparison: core's Comparison (the numbers `clawgym compare` prints) as
 * the rows the webview shows — regressions first, worst first; then gains; then the rest. Pure.
 */
import { EPS, signed, type Comparison, type TaskDelta } from '../../core/runs/compare.js';
import { formatPercent, formatReward } from '../../core/runs/report.js';
import type { CompareRow, CompareSide, CompareState, HeadlineRow, Tone } from '../../protocol/compare.js';

const tone = (x: number | null): Tone => (x === null || Math.abs(x) <= EPS ? 'same' : x > 0 ? 'better' : 'worse');

function row(t: TaskDelta, kind: CompareRow['kind']): CompareRow {
  return {
    taskId: t.id,
    category: t.category,
    kind,
    aReward: formatReward(t.a.mean_reward),
    bReward: formatReward(t.b.mean_reward),
    deltaReward: signed(t.delta_reward, 3),
    aPass: formatPercent(t.a.pass_rate),
    bPass: formatPercent(t.b.pass_rate),
    aAttempts: t.a.attempts,
    bAttempts: t.b.attempts,
  };
}

export function compareState(cmp: Comparison, a: Omit<CompareSide, 'runId' | 'agent'>, b: Omit<CompareSide, 'runId' | 'agent'>): CompareState {
  const headline = (label: string, t: Comparison['overall']): HeadlineRow => ({
    label,
    aPass: formatPercent(t.a.pass_rate),
    bPass: formatPercent(t.b.pass_rate),
    deltaPass: signed(t.delta_pass_rate === null ? null : t.delta_pass_rate * 100, 1, ' pp'),
    passTone: tone(t.delta_pass_rate),
    aReward: formatReward(t.a.mean_reward),
    bReward: formatReward(t.b.mean_reward),
    deltaReward: signed(t.delta_mean_reward, 3),
    rewardTone: tone(t.delta_mean_reward),
  });
  const moved = new Set([...cmp.regressions, ...cmp.gains].map((t) => t.id));
  return {
    a: { runId: cmp.a.run_id, agent: cmp.a.agent, ...a },
    b: { runId: cmp.b.run_id, agent: cmp.b.agent, ...b },
    threshold: cmp.threshold,
    headline: [headline('all trials', cmp.overall), headline(`${cmp.shared.tasks} shared task${cmp.shared.tasks === 1 ? '' : 's'}`, cmp.shared)],
    rows: [
      ...cmp.regressions.map((t) => row(t, 'regression')),
      ...cmp.gains.map((t) => row(t, 'gain')),
      ...cmp.tasks.filter((t) => !moved.has(t.id)).map((t) => row(t, 'unchanged')),
    ],
    counts: { regressions: cmp.regressions.length, gains: cmp.gains.length, unchanged: cmp.unchanged },
    onlyInA: cmp.only_in_a,
    onlyInB: cmp.only_in_b,
  };
}
