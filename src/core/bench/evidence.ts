/**
 * The evidence behind `--require nop-zero,oracle-pass`: the nop and oracle results of every task,
 * from runs the user already made (`--runs`) or, for an agent none of them ran, from a run of the
 * pool made here through the ordinary run engine (resumed if a build stopped half-way, made again
 * otherwise).
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { isRunFolder, readRunFolder, type RunFolder } from '../runs/folder.js';
import type { ResultLine } from '../runs/records.js';
import type { RunHooks } from '../runs/run.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { sanityProblem, type SanityAgent } from '../runs/sanity.js';
import { runAgentOver } from '../synth/filter/trials.js';

export type { SanityAgent };

export interface AgentEvidence {
  /** Every result of the task (all attempts, all runs), by task id. */
  results: Map<string, ResultLine[]>;
  /** "given": from --runs; else the run folder this build made. */
  from: 'given' | string;
}

export interface EvidenceOptions {
  paths: readonly string[];
  /** Where runs made here live (one folder per agent). */
  workDir: string;
  given: readonly RunFolder[];
  need: readonly SanityAgent[];
  /** Asked for only when a run must be made here (so a build with every run given needs none). */
  sandbox?: () => Promise<Sandbox>;
  concurrency: number;
  hooks?: RunHooks;
  onRun?: (agent: SanityAgent) => void;
}

/** Only nop and oracle runs say whether a task is sound; anything else is a reference agent. */
export function checkEvidenceRuns(runs: readonly RunFolder[]): void {
  for (const r of runs) {
    const a = r.manifest.agent.name;
    if (a !== 'nop' && a !== 'oracle') throw new UsageError(`${r.dir} is a run of agent "${a}": --runs takes nop and oracle runs (reference agents belong in --difficulty-from)`);
  }
}

export async function gatherEvidence(o: EvidenceOptions): Promise<{ evidence: Map<SanityAgent, AgentEvidence>; interrupted: boolean }> {
  checkEvidenceRuns(o.given);
  const evidence = new Map<SanityAgent, AgentEvidence>();
  for (const agent of o.need) {
    const runs = o.given.filter((r) => r.manifest.agent.name === agent);
    const results = new Map<string, ResultLine[]>();
    const add = (r: ResultLine) => results.set(r.task_id, [...(results.get(r.task_id) ?? []), r]);
    if (runs.length) {
      for (const run of runs) for (const r of run.results) add(r);
      evidence.set(agent, { results, from: 'given' });
      continue;
    }
    if (!o.sandbox) throw new UsageError(`${agent === 'nop' ? 'nop-zero' : 'oracle-pass'} needs a ${agent} run: give one with --runs, or let the build run it (needs a sandbox)`);
    o.onRun?.(agent);
    await dropStaleRun(join(o.workDir, agent), o.paths);
    const pass = await runAgentOver(o.paths, agent, join(o.workDir, agent), await o.sandbox(), o.concurrency, o.hooks);
    if (pass.interrupted) return { evidence, interrupted: true };
    for (const r of pass.results.values()) add(r);
    evidence.set(agent, { results, from: pass.runDir });
  }
  return { evidence, interrupted: false };
}

/**
 * A run left by an earlier build is resumed only if it was cut short on the same pool: a finished
 * one is made again, since the pool's tasks may have been edited since (their ids would not say).
 */
async function dropStaleRun(dir: string, paths: readonly string[]): Promise<void> {
  if (!isRunFolder(dir)) return;
  let stale = true;
  try {
    const run = await readRunFolder(dir);
    const samePool = JSON.stringify([...run.manifest.paths].sort()) === JSON.stringify(paths.map((p) => resolve(p)).sort());
    const firsts = new Set(run.results.filter((r) => r.attempt === 1).map((r) => r.task_id));
    const finished = run.manifest.tasks.every((t) => firsts.has(t.id));
    stale = !samePool || finished;
  } catch {
    // An unreadable run.json: start over.
  }
  if (stale) await rm(dir, { recursive: true, force: true });
}

/** Why the evidence disqualifies a task (undefined: every result is as a sound task's must be). */
export function evidenceProblem(agent: SanityAgent, e: AgentEvidence, taskId: string): string | undefined {
  const rs = e.results.get(taskId) ?? [];
  if (!rs.length) return `no ${agent} result${e.from === 'given' ? ' in the given runs' : ''}`;
  for (const r of rs) {
    const p = sanityProblem(agent, r);
    if (p) return rs.length > 1 ? `${p} (attempt ${r.attempt})` : p;
  }
  return undefined;
}
