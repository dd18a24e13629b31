/**
 * Read a finished (or interrupted) run folder as the tools downstream of a run see it: what was
 * asked (run.json) and the latest result of every trial (results.jsonl, a re-run line winning).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { RunManifest, type ResultLine } from './records.js';
import { dedupe } from './report.js';
import { readResults } from './store.js';

export interface RunFolder {
  dir: string;
  manifest: RunManifest;
  /** One line per (task, attempt): the last one written. */
  results: ResultLine[];
}

export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, 'run.json'));
}

export async function readRunFolder(dirArg: string): Promise<RunFolder> {
  const dir = resolve(dirArg);
  const file = join(dir, 'run.json');
  if (!existsSync(file)) throw new UsageError(`${dir} is not a run folder (no run.json)`);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${(e as Error).message})`);
  }
  const parsed = RunManifest.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file}: not a run manifest (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return { dir, manifest: parsed.data, results: dedupe(readResults(join(dir, 'results.jsonl')).results) };
}

/** How a run's agent is named in tables: the agent, its model when it has one. */
export function agentLabel(m: RunManifest): string {
  return m.agent.model ? `${m.agent.name}/${m.agent.model}` : m.agent.name;
}
