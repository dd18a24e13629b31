/**
 * The run folder contract — what the CLI, the extension, workers and trainers all read and write:
 *
 *   <run>/run.json            what was asked (RunManifest)
 *   <run>/results.jsonl       one line per finished trial, append-only: the resume point
 *   <run>/trials/<task>/<k>/  one trial's files (TRIAL_FILES)
 *   <run>/report.json|html    aggregates
 *
 * Every file name, the run id, the trial paths and the only reader and writer of run.json live
 * here; nothing else spells them. Light on purpose (zod and node:fs only): the extension imports it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { AgentFiles } from '../agents/agent.js';
import { UsageError } from '../errors.js';
import { VerifyResult } from '../verify/result.js';
import { RunManifest, type ResultLine } from './records.js';
import { dedupe } from './report.js';
import { readResults } from './store.js';

/** Files of a run folder. */
export const RUN_FILES = {
  manifest: 'run.json',
  results: 'results.jsonl',
  loadErrors: 'load-errors.txt',
  reportJson: 'report.json',
  reportHtml: 'report.html',
  trials: 'trials',
} as const;

/** Files of a trial folder (`trials/<task>/<attempt>/`). */
export const TRIAL_FILES = {
  /** The trial's result line, also appended to the run's results.jsonl. */
  result: 'result.json',
  verify: 'verify.json',
  /** Live event stream (trace/events.ts). */
  events: 'events.jsonl',
  /** OpenClaw-shaped transcript (trace/transcript.ts). */
  transcript: 'transcript.jsonl',
  /** ATIF trajectory. */
  trajectory: 'trajectory.json',
  /** The final workspace. */
  workspace: 'workspace',
  /** Per-step git snapshots of the workspace. */
  snapshots: 'snapshots.git',
  /** The agent's model calls, redacted. */
  calls: 'llm/calls.jsonl',
  /** The rubric judge's model calls, redacted. */
  judgeCalls: 'llm/judge-calls.jsonl',
  logs: 'logs',
  /** Scratch of the verifier (hidden tests, grade runners). */
  verifier: 'verifier',
  /** What a black-box agent is given (the instruction file), bound read-only into its sandbox. */
  agentInput: 'agent-input',
  /** `--agent openclaw`: OpenClaw's own session export (manifest.json, events.jsonl, session-branch.json…). */
  openclawSession: 'openclaw-session',
} as const;

export type TrialFile = keyof typeof TRIAL_FILES;

/** Absolute paths of a run folder's files. */
export function runPaths(runDir: string): { [K in keyof typeof RUN_FILES]: string } {
  const dir = resolve(runDir);
  return Object.fromEntries(Object.entries(RUN_FILES).map(([k, f]) => [k, join(dir, f)])) as { [K in keyof typeof RUN_FILES]: string };
}

/** The folder of one trial. */
export function trialDirOf(runDir: string, taskId: string, attempt: number): string {
  return join(runDir, RUN_FILES.trials, taskId, String(attempt));
}

/** A file of a trial folder. */
export function trialFile(trialDir: string, file: TrialFile): string {
  return join(trialDir, TRIAL_FILES[file]);
}

/** Where an agent writes its part of a trial (or episode) folder. */
export function agentFiles(trialDir: string): AgentFiles {
  return { trajectory: trialFile(trialDir, 'trajectory'), calls: trialFile(trialDir, 'calls'), snapshots: trialFile(trialDir, 'snapshots'), input: trialFile(trialDir, 'agentInput'), openclawSession: trialFile(trialDir, 'openclawSession') };
}

/** A fresh run id: time, agent and a random suffix (`2026-11-24T10-00-00-nop-ab12cd`). */
export function newRunId(agent: string): string {
  const ts = new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  return `${ts}-${agent}-${randomBytes(3).toString('hex')}`;
}

/**
 * Where a new run goes and what it is called. The id is always the folder's name, so the id
 * printed, the one in run.json and the folder a person sees agree (`--out` names both).
 */
export function placeRun(agent: string, out?: string, runsRoot = 'runs'): { runId: string; runDir: string } {
  const runDir = resolve(out ?? join(runsRoot, newRunId(agent)));
  return { runId: basename(runDir), runDir };
}

export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.manifest));
}

/** run.json, validated; a clear usage error (file and field) when it is missing or not a manifest. */
export function readManifest(runDir: string): RunManifest {
  const file = join(resolve(runDir), RUN_FILES.manifest);
  if (!existsSync(file)) throw new UsageError(`${resolve(runDir)} is not a run folder (no ${RUN_FILES.manifest})`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${(e as Error).message})`);
  }
  const parsed = RunManifest.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file}: not a run manifest (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
  return parsed.data;
}

/** run.json, or undefined when the folder holds none or an unreadable one (views that list runs). */
export function tryReadManifest(runDir: string): RunManifest | undefined {
  try {
    return readManifest(runDir);
  } catch {
    return undefined;
  }
}

/** Write run.json (validated first: a manifest that would not read back is never written). */
export function writeManifest(runDir: string, manifest: RunManifest): void {
  const checked = RunManifest.parse(manifest);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, RUN_FILES.manifest), `${JSON.stringify(checked, null, 2)}\n`);
}

/** Every result line of the run, in file order (a torn last line dropped). */
export function readRunResults(runDir: string): ResultLine[] {
  return readResults(join(runDir, RUN_FILES.results)).results;
}

export interface RunFolder {
  dir: string;
  manifest: RunManifest;
  /** One line per (task, attempt): the last one written. */
  results: ResultLine[];
}

/** A finished (or interrupted) run as the tools downstream of it see it. */
export function readRunFolder(dirArg: string): RunFolder {
  const dir = resolve(dirArg);
  return { dir, manifest: readManifest(dir), results: dedupe(readRunResults(dir)) };
}

/** A trial's verify.json, or undefined when it has none (the trial failed before verification) or an unreadable one. */
export function readTrialVerify(trialDir: string): VerifyResult | undefined {
  const f = trialFile(trialDir, 'verify');
  if (!existsSync(f)) return undefined;
  try {
    const r = VerifyResult.safeParse(JSON.parse(readFileSync(f, 'utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** How a run's agent is named in tables: the agent, its model when it has one. */
export function agentLabel(m: RunManifest): string {
  return m.agent.model ? `${m.agent.name}/${m.agent.model}` : m.agent.name;
}
