/**
 * Where a trajectory's parts are and reading them: trajectory.json (ATIF), the trial's
 * events.jsonl and snapshots.git beside it. Node only, no vscode (the debugger panel uses it).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { RUN_FILES, trialFile } from '../../core/runs/folder.js';
import { AtifTrajectory } from '../../core/trace/atif.js';
import { importTrajectory } from '../../core/trace/import.js';
import { WorkspaceSnapshots } from '../../core/workspace/snapshots.js';
import type { SnapshotRef } from './trajectory-debugger.js';

export interface TrajectoryLocation {
  /** The trajectory file (it may not exist yet: a trial still running). */
  trajectoryFile: string;
  /** The trial folder, when the trajectory is a trial's (events.jsonl or snapshots.git beside it). */
  trialDir: string | null;
  eventsFile: string | null;
  snapshotsDir: string | null;
  /** "task #attempt" for a trial, else the file's folder and name. */
  title: string;
}

/** The file of an `openclaw sessions export-trajectory` bundle the debugger opens. */
export const OPENCLAW_BUNDLE_SESSION = 'session-branch.json';

/** Trajectory files are named trajectory.json (the proxy also writes trajectory-<time>.json). */
export const TRAJECTORY_FILE = /^trajectory(?:-[\w.-]+)?\.json$/;

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A trajectory file or a trial folder → where its parts are; undefined when it is neither. */
export function locateTrajectory(path: string): TrajectoryLocation | undefined {
  const p = resolve(path);
  let dir: string;
  let file: string;
  if (isDir(p) && existsSync(join(p, OPENCLAW_BUNDLE_SESSION)) && !existsSync(trialFile(p, 'trajectory'))) {
    // A bundle from `openclaw sessions export-trajectory`.
    return { trajectoryFile: join(p, OPENCLAW_BUNDLE_SESSION), trialDir: null, eventsFile: null, snapshotsDir: null, title: `${basename(p)} (OpenClaw session)` };
  }
  if (isDir(p)) {
    dir = p;
    file = trialFile(p, 'trajectory');
    if (!existsSync(file) && !existsSync(trialFile(p, 'events'))) return undefined;
  } else {
    if (!p.endsWith('.json') && !p.endsWith('.jsonl')) return undefined;
    dir = dirname(p);
    file = p;
  }
  const events = trialFile(dir, 'events');
  const snaps = trialFile(dir, 'snapshots');
  const isTrial = existsSync(events) || existsSync(snaps);
  // runs/<run>/trials/<task>/<attempt>
  const parts = dir.split(sep);
  const inTrials = parts.at(-3) === RUN_FILES.trials && /^\d+$/.test(parts.at(-1) ?? '');
  const title = isTrial && inTrials ? `${parts.at(-2)} #${parts.at(-1)}` : `${basename(dir)}/${basename(file)}`;
  return { trajectoryFile: file, trialDir: isTrial ? dir : null, eventsFile: isTrial ? events : null, snapshotsDir: isTrial ? snaps : null, title };
}

export type TrajectoryRead = { ok: true; trajectory: AtifTrajectory } | { ok: false; missing: boolean; error: string };

/** Read and validate trajectory.json. */
export function readTrajectory(file: string): TrajectoryRead {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, missing: true, error: errorMessage(e) };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    // JSON lines: an OpenClaw session file.
    const imported = importTrajectory(raw, basename(file));
    if (imported.ok) return { ok: true, trajectory: imported.trajectory };
    return { ok: false, missing: false, error: file.endsWith('.jsonl') ? imported.error : `${basename(file)} is not JSON: ${errorMessage(e)}` };
  }
  const r = AtifTrajectory.safeParse(json);
  if (!r.success) {
    // Outside a trial, not ClawGym's own: ATIF another harness wrote, or an OpenClaw session
    // (core/trace/import.ts). A trial's trajectory.json is ours and held to the schema.
    const inTrial = existsSync(trialFile(dirname(file), 'events')) || existsSync(trialFile(dirname(file), 'snapshots'));
    const imported = inTrial ? null : importTrajectory(raw, basename(file));
    if (imported?.ok) return { ok: true, trajectory: imported.trajectory };
    const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, missing: false, error: `${basename(file)} is not an ATIF trajectory: ${issues.join('; ')}${r.error.issues.length > 5 ? ` (and ${r.error.issues.length - 5} more)` : ''}` };
  }
  return { ok: true, trajectory: r.data };
}

/** events.jsonl as parsed lines (torn or foreign lines skipped); empty when there is none. */
export function readEvents(file: string | null): unknown[] {
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* skip */
    }
  }
  return out;
}

/** The agent steps events.jsonl knows of, and whether the trial has ended. */
export function eventsSummary(events: readonly unknown[]): { steps: number; agentEnded: boolean; trialEnded: boolean } {
  let steps = 0;
  let agentEnded = false;
  let trialEnded = false;
  for (const e of events) {
    const t = (e as { type?: unknown } | null)?.type;
    if (t === 'step') steps = Math.max(steps, Number((e as { step?: unknown }).step) || 0);
    else if (t === 'agent_end') agentEnded = true;
    else if (t === 'trial_end') trialEnded = true;
    else if (t === 'trial_start') agentEnded = trialEnded = false;
  }
  return { steps, agentEnded, trialEnded };
}

/**
 * The snapshots in snapshots.git, with the files each changed: from the events when they say
 * (they normally do), else from git (a trial whose events.jsonl is gone).
 */
export async function readSnapshots(gitDir: string | null, events: readonly unknown[]): Promise<SnapshotRef[]> {
  if (!gitDir || !isDir(gitDir)) return [];
  const known = new Map<string, string[]>();
  for (const e of events) {
    const x = e as { type?: unknown; commit?: unknown; changed?: unknown };
    if (x?.type === 'snapshot' && typeof x.commit === 'string' && Array.isArray(x.changed)) known.set(x.commit, x.changed.filter((c): c is string => typeof c === 'string'));
  }
  const repo = WorkspaceSnapshots.open(gitDir);
  let list;
  try {
    list = await repo.list();
  } catch {
    return [];
  }
  const out: SnapshotRef[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    let changed = known.get(s.commit) ?? null;
    if (changed === null) changed = i === 0 ? [] : await repo.changed(list[i - 1]!.commit, s.commit).catch(() => null);
    out.push({ commit: s.commit, turn: s.step, changed });
  }
  return out;
}
