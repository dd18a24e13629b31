/**
 * The nop and oracle runs a filter needs, through the ordinary run engine (its sandbox, pool and
 * results.jsonl): a filter stopped half-way continues its runs instead of starting them over.
 */
import type { ResultLine } from '../../runs/records.js';
import { resumeRun, startRun, type RunHooks } from '../../runs/run.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { isRunFolder } from '../../runs/folder.js';

export interface AgentPass {
  runDir: string;
  /** Result of each task's first attempt, by task id. */
  results: Map<string, ResultLine>;
  interrupted: boolean;
}

export async function runAgentOver(paths: readonly string[], agent: 'nop' | 'oracle', runDir: string, sandbox: Sandbox, concurrency: number, hooks: RunHooks = {}): Promise<AgentPass> {
  const summary = isRunFolder(runDir)
    ? await resumeRun(runDir, sandbox, hooks, { concurrency })
    : await startRun({ paths: [...paths], agent: { name: agent }, concurrency, sandboxMode: sandbox.mode, out: runDir, harnessRetries: 1 }, sandbox, hooks);
  const results = new Map<string, ResultLine>();
  for (const r of summary.results) if (r.attempt === 1) results.set(r.task_id, r);
  return { runDir: summary.runDir, results, interrupted: summary.interrupted };
}
