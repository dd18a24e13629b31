/**
 * Where SFT examples come from: run folders (each finished trial's trajectory.json with the reward
 * its results.jsonl line gave it) and the recording proxy's folders (`<out>/<session>/trajectory*.json`
 * beside `calls.jsonl`, no reward), or one trajectory file. Also the keys an export must never
 * contain: those the runs' model and judge used (config files, environment).
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorMessage, UsageError } from '../errors.js';
import { loadConfigFile } from '../llm/config.js';
import { secretsOf } from '../llm/redact.js';
import { isRunFolder, readRunFolder, trialFile } from '../runs/folder.js';
import type { RunManifest } from '../runs/records.js';
import { RECORDING_FILES } from '../llm/proxy/sessions.js';

export interface SftSource {
  /** For messages and stats: which trial or recording. */
  label: string;
  kind: 'trial' | 'recording';
  trajectory: string;
  /** The conversation's recorded model calls (their requests name the tools declared), when kept. */
  calls: string | null;
  /** The verified reward; null for a recording (nothing verified it). */
  reward: number | null;
  secrets: string[];
}

export interface InputSummary {
  path: string;
  kind: 'run' | 'recordings' | 'trajectory';
  run_id?: string;
  /** Finished trials (runs) or trajectory files (recordings). */
  found: number;
  /** Trials that ended in an error (their reward is not a verdict on the agent). */
  errored: number;
  below_min_reward: number;
  /** Trials whose agent leaves no trajectory (nop, oracle, a command agent without --record). */
  without_trajectory: number;
  sources: number;
}

const TRAJECTORY_FILE = /^trajectory(-\d+)?\.json$/;

/** Keys the model and judge of these runs used, wherever they came from: cut from every export. */
export function secretsFor(manifest: RunManifest | null, env: NodeJS.ProcessEnv = process.env): string[] {
  const keys: Array<string | undefined> = [env.OPENAI_API_KEY, env.CLAWGYM_JUDGE_API_KEY];
  const configs = new Set<string | undefined>([undefined, manifest?.agent.config, manifest?.judge?.config]);
  for (const c of configs) {
    try {
      keys.push(loadConfigFile(c, env).api_key);
    } catch {
      // A config file moved or broken since the run: nothing to read a key from.
    }
  }
  return [...new Set(secretsOf(keys))];
}

async function runSources(dir: string, minReward: number): Promise<{ sources: SftSource[]; summary: InputSummary }> {
  const run = await readRunFolder(dir);
  const secrets = secretsFor(run.manifest);
  const summary: InputSummary = { path: run.dir, kind: 'run', run_id: run.manifest.run_id, found: run.results.length, errored: 0, below_min_reward: 0, without_trajectory: 0, sources: 0 };
  const sources: SftSource[] = [];
  // Task then attempt: the export's line order does not depend on which trial finished first.
  const results = [...run.results].sort((a, b) => (a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : a.attempt - b.attempt));
  for (const r of results) {
    if (r.error !== null) {
      summary.errored++;
      continue;
    }
    if (r.reward < minReward) {
      summary.below_min_reward++;
      continue;
    }
    const trial = join(run.dir, r.trial_dir);
    const trajectory = trialFile(trial, 'trajectory');
    if (!existsSync(trajectory)) {
      summary.without_trajectory++;
      continue;
    }
    const calls = trialFile(trial, 'calls');
    sources.push({ label: `${run.manifest.run_id}/${r.task_id}#${r.attempt}`, kind: 'trial', trajectory, calls: existsSync(calls) ? calls : null, reward: r.reward, secrets });
  }
  summary.sources = sources.length;
  return { sources, summary };
}

function recordingSource(file: string, secrets: string[]): SftSource {
  const calls = join(dirname(file), RECORDING_FILES.calls);
  return { label: `recording ${basename(dirname(file))}/${basename(file)}`, kind: 'recording', trajectory: file, calls: existsSync(calls) ? calls : null, reward: null, secrets };
}

/** The proxy writes `<out>/<session>/trajectory*.json`; a session folder itself is accepted too. */
async function recordingSources(dir: string): Promise<{ sources: SftSource[]; summary: InputSummary }> {
  const files: string[] = [];
  const scan = async (d: string, depth: number) => {
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.isFile() && TRAJECTORY_FILE.test(e.name)) files.push(join(d, e.name));
      else if (e.isDirectory() && depth > 0 && !e.name.startsWith('.')) await scan(join(d, e.name), depth - 1);
    }
  };
  await scan(dir, 1);
  const secrets = secretsFor(null);
  const sources = files.map((f) => recordingSource(f, secrets));
  return { sources, summary: { path: dir, kind: 'recordings', found: files.length, errored: 0, below_min_reward: 0, without_trajectory: 0, sources: sources.length } };
}

export async function collectSources(inputs: readonly string[], minReward: number): Promise<{ sources: SftSource[]; inputs: InputSummary[] }> {
  const sources: SftSource[] = [];
  const summaries: InputSummary[] = [];
  for (const input of inputs) {
    const p = resolve(input);
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new UsageError(`${input}: ${errorMessage(e)}`);
    }
    let got;
    if (st.isFile()) {
      if (!p.endsWith('.json')) throw new UsageError(`${input}: expected a run folder, a recordings folder or a trajectory .json file`);
      got = { sources: [recordingSource(p, secretsFor(null))], summary: { path: p, kind: 'trajectory' as const, found: 1, errored: 0, below_min_reward: 0, without_trajectory: 0, sources: 1 } };
    } else if (isRunFolder(p)) got = await runSources(p, minReward);
    else {
      got = await recordingSources(p);
      if (!got.sources.length) throw new UsageError(`${input}: neither a run folder (no run.json) nor a recordings folder (no <session>/trajectory.json)`);
    }
    sources.push(...got.sources);
    summaries.push(got.summary);
  }
  return { sources, inputs: summaries };
}
