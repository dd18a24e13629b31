/**
 * View model of the Runs view: run folders (run.json + results.jsonl) and their trials, including
 * trials still in progress (a trial folder with events but no result line yet). Pure Node, no vscode.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isRunFolder, readRunResults, runPaths, tryReadManifest } from '../../core/runs/folder.js';
import type { ResultLine } from '../../core/runs/records.js';

export interface RunInfo {
  runId: string;
  dir: string;
  createdAt: string;
  agent: string;
  tasks: number;
  trialsPlanned: number;
  finished: number;
  passed: number;
  meanReward: number | null;
}

export interface TrialInfo {
  taskId: string;
  attempt: number;
  dir: string;
  state: 'passed' | 'failed' | 'error' | 'running';
  reward: number | null;
  line?: ResultLine;
}

export function readRun(dir: string): RunInfo | undefined {
  const manifest = tryReadManifest(dir);
  if (!manifest) return undefined;
  const results = readRunResults(dir);
  return {
    runId: manifest.run_id,
    dir,
    createdAt: manifest.created_at,
    agent: manifest.agent.name,
    tasks: manifest.tasks.length,
    trialsPlanned: manifest.tasks.length * manifest.attempts,
    finished: results.length,
    passed: results.filter((r) => r.passed).length,
    meanReward: results.length ? results.reduce((a, r) => a + r.reward, 0) / results.length : null,
  };
}

/** Runs under a folder, newest first. A folder name is the run's id unless run.json says otherwise. */
export function listRuns(runsDir: string): RunInfo[] {
  if (!existsSync(runsDir)) return [];
  const out: RunInfo[] = [];
  for (const name of readdirSync(runsDir)) {
    const dir = join(runsDir, name);
    if (!isRunFolder(dir)) continue;
    const r = readRun(dir);
    if (r) out.push({ ...r, runId: name });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function trialState(l: ResultLine): TrialInfo['state'] {
  return l.error ? 'error' : l.passed ? 'passed' : 'failed';
}

export function listTrials(runDir: string): TrialInfo[] {
  const results = readRunResults(runDir);
  const seen = new Set<string>();
  const trials: TrialInfo[] = results.map((l) => {
    seen.add(join(runDir, l.trial_dir));
    return { taskId: l.task_id, attempt: l.attempt, dir: join(runDir, l.trial_dir), state: trialState(l), reward: l.reward, line: l };
  });
  const trialsRoot = runPaths(runDir).trials;
  if (existsSync(trialsRoot)) {
    for (const taskId of readdirSync(trialsRoot)) {
      const tdir = join(trialsRoot, taskId);
      if (!statSync(tdir).isDirectory()) continue;
      for (const k of readdirSync(tdir)) {
        const dir = join(tdir, k);
        if (seen.has(dir) || !/^\d+$/.test(k)) continue;
        trials.push({ taskId, attempt: Number(k), dir, state: 'running', reward: null });
      }
    }
  }
  return trials.sort((a, b) => a.taskId.localeCompare(b.taskId) || a.attempt - b.attempt);
}
