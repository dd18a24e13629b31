/**
 * Whether a task is sound, from its sanity agents' results: the oracle (`solution/solve.sh`) must
 * pass and the nop agent (does nothing) must score exactly 0. The one place this rule lives: the
 * filters, `bench build --require`, the Test Explorer and the Tasks view all ask here. Light on
 * purpose (types only): the extension imports it.
 */
import type { ResultLine } from './records.js';

export type SanityAgent = 'nop' | 'oracle';

export const isSanityAgent = (agent: string): agent is SanityAgent => agent === 'nop' || agent === 'oracle';

/** Why a nop result disqualifies a task (undefined: it scored exactly 0, as a sound task must). */
export function nopProblem(r: Pick<ResultLine, 'reward' | 'error' | 'error_kind'> | undefined): string | undefined {
  if (!r) return 'no nop result';
  if (r.error) return `nop trial failed (${r.error_kind}): ${r.error}`;
  if (r.reward > 0) return `nop scores ${r.reward.toFixed(4)} (> 0): the untouched workspace already passes some checks`;
  return undefined;
}

/** Why an oracle result disqualifies a task (undefined: the oracle passed). */
export function oracleProblem(r: Pick<ResultLine, 'reward' | 'passed' | 'error' | 'error_kind'> | undefined): string | undefined {
  if (!r) return 'no oracle result';
  if (r.error) return `oracle trial failed (${r.error_kind}): ${r.error}`;
  if (!r.passed) return `oracle scores ${r.reward.toFixed(4)}, below the pass threshold`;
  return undefined;
}

/** Why a sanity agent's result is not what a sound task gives (undefined: it is). */
export function sanityProblem(agent: SanityAgent, r: ResultLine | undefined): string | undefined {
  return agent === 'nop' ? nopProblem(r) : oracleProblem(r);
}

/**
 * What a sanity agent's result means for the task, as a test outcome: the goal of nop is 0, so a
 * nop scoring 0 is a pass (it must not turn a sound task red), one scoring more a failure.
 */
export function sanityOutcome(agent: SanityAgent, r: ResultLine): { state: 'passed' | 'failed' | 'errored'; message: string } {
  if (r.error) return { state: 'errored', message: sanityProblem(agent, r)! };
  const problem = sanityProblem(agent, r);
  if (problem) return { state: 'failed', message: problem };
  return { state: 'passed', message: agent === 'nop' ? 'nop scores 0, as a sound task must' : `oracle passes (reward ${r.reward.toFixed(2)})` };
}

export type Soundness = 'sound' | 'unsound' | 'untested';

export interface SoundnessVerdict {
  state: Soundness;
  /** Why unsound (every problem), or what is missing for untested. */
  reasons: string[];
  /** The sanity agents with no result yet. */
  missing: SanityAgent[];
}

/**
 * The task's state from the latest oracle and nop results: sound when both are as they must be,
 * unsound as soon as one that exists is not (a missing one cannot make it sound), untested when
 * none disagrees but one or both are missing.
 */
export function soundness(latest: { oracle?: ResultLine; nop?: ResultLine }): SoundnessVerdict {
  const missing = (['oracle', 'nop'] as const).filter((a) => !latest[a]);
  const problems = (['oracle', 'nop'] as const).flatMap((a) => (latest[a] ? [sanityProblem(a, latest[a])].filter((p): p is string => !!p) : []));
  if (problems.length) return { state: 'unsound', reasons: problems, missing };
  if (missing.length) return { state: 'untested', reasons: missing.map((a) => `no ${a} result yet`), missing };
  return { state: 'sound', reasons: [], missing };
}

/** One line for people: "sound (oracle passes, nop scores 0)", "unsound: …", "untested: no nop result yet". */
export function describeSoundness(v: SoundnessVerdict): string {
  if (v.state === 'sound') return 'sound: the oracle passes and nop scores 0';
  return `${v.state}: ${v.reasons.join('; ')}`;
}
