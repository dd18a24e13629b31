/**
 * What the Task Review panel reads from disk: the task as its task.yaml says now (with the exact
 * text, for refusing stale writes), its workspace files, when its parts last changed, and this
 * task's trials in the runs folder. Node only, no vscode; the pure rules are in review.ts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { runPaths, tryReadManifest } from '../../core/runs/folder.js';
import { RunManifest, type ResultLine } from '../../core/runs/records.js';
import { readResults } from '../../core/runs/store.js';
import { listDir, listFileSet } from '../../core/task/fileset.js';
import { nativeTaskFromDir, parseTaskYaml } from '../../core/task/native.js';
import { checkIds } from '../../core/task/schema.js';
import type { FileSet, Task } from '../../core/task/task.js';
import type { WorkspaceFileView } from '../../protocol/review.js';
import type { TaskChanges, TaskRun } from './review.js';

/** A native task read from one read of its task.yaml: the spec shown is the text remembered. */
export async function readNativeTask(file: string): Promise<{ task: Task; text: string }> {
  const text = await readFile(file, 'utf8');
  const { spec } = parseTaskYaml(text, file);
  return { task: nativeTaskFromDir(join(file, '..'), spec), text };
}

export interface WorkspaceListing {
  files: WorkspaceFileView[];
  /** Relative path → the host file behind it (only for files the editor can open). */
  hostFiles: Map<string, string>;
  error: string | null;
}

/** The files the agent starts with (later sets overlay earlier ones), with sizes. */
export async function listWorkspace(task: Task): Promise<WorkspaceListing> {
  const byPath = new Map<string, WorkspaceFileView>();
  const hostFiles = new Map<string, string>();
  try {
    for (const set of task.workspace) {
      for (const f of await listFileSet(set)) {
        let bytes: number | null = null;
        if (f.content !== undefined) bytes = typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength;
        else if (f.from) bytes = (await stat(f.from).catch(() => undefined))?.size ?? null;
        byPath.set(f.path, { path: f.path, bytes, openable: !!f.from });
        if (f.from) hostFiles.set(f.path, f.from);
        else hostFiles.delete(f.path);
      }
    }
    return { files: [...byPath.values()], hostFiles, error: null };
  } catch (e) {
    return { files: [...byPath.values()], hostFiles, error: errorMessage(e) };
  }
}

async function latestMtime(sets: ReadonlyArray<FileSet | undefined>): Promise<number | null> {
  let latest: number | null = null;
  const note = (ms: number) => (latest = latest === null ? ms : Math.max(latest, ms));
  for (const set of sets) {
    if (!set) continue;
    const files = set.kind === 'dir' ? await listDir(set.root).catch(() => []) : set.files.filter((f) => f.from).map((f) => ({ from: f.from }));
    for (const f of files) {
      if (!f.from) continue;
      const st = await stat(f.from).catch(() => undefined);
      if (st) note(st.mtimeMs);
    }
  }
  return latest;
}

/** When the task's parts last changed, for judging whether a result is stale. */
export async function taskChanges(task: Task, taskFile: string | undefined): Promise<TaskChanges> {
  const updated = task.spec.review?.updated ? Date.parse(task.spec.review.updated) : NaN;
  return {
    checkIds: checkIds(task.spec.verify.checks),
    filesChangedMs: await latestMtime([...task.workspace, task.solution, task.tests]),
    taskFileChangedMs: taskFile ? ((await stat(taskFile).catch(() => undefined))?.mtimeMs ?? null) : null,
    reviewUpdatedMs: Number.isFinite(updated) ? updated : null,
  };
}

// Parsed run.json and results.jsonl by file, reused while the file is unchanged: a runs folder
// of big runs is read once, not on every refresh of every panel.
const manifests = new Map<string, { key: string; manifest: RunManifest | undefined }>();
const resultsByTask = new Map<string, { key: string; byTask: Map<string, ResultLine[]> }>();

const statKey = (f: string): string | undefined => {
  try {
    const st = statSync(f);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
};

function manifestOf(dir: string): RunManifest | undefined {
  const f = runPaths(dir).manifest;
  const key = statKey(f);
  if (!key) return undefined;
  const hit = manifests.get(f);
  if (hit?.key === key) return hit.manifest;
  const manifest = tryReadManifest(dir);
  manifests.set(f, { key, manifest });
  return manifest;
}

function linesOf(dir: string, taskId: string): ResultLine[] {
  const f = runPaths(dir).results;
  const key = statKey(f);
  if (!key) return [];
  let hit = resultsByTask.get(f);
  if (hit?.key !== key) {
    const byTask = new Map<string, ResultLine[]>();
    for (const l of readResults(f).results) {
      const list = byTask.get(l.task_id) ?? [];
      list.push(l);
      byTask.set(l.task_id, list);
    }
    hit = { key, byTask };
    resultsByTask.set(f, hit);
  }
  return hit.byTask.get(taskId) ?? [];
}

/** This task's finished trials in every run under `runsDir` (runs without one are left out). */
export function readTaskRuns(runsDir: string, taskId: string): TaskRun[] {
  if (!existsSync(runsDir)) return [];
  const out: TaskRun[] = [];
  for (const name of readdirSync(runsDir)) {
    const dir = join(runsDir, name);
    const manifest = manifestOf(dir);
    if (!manifest) continue;
    const lines = linesOf(dir, taskId);
    if (!lines.length) continue;
    out.push({
      runId: name,
      runDir: dir,
      createdAt: manifest.created_at,
      agent: manifest.agent.name,
      model: manifest.agent.model,
      taskSource: manifest.tasks.find((t) => t.id === taskId)?.source,
      lines,
    });
  }
  return out;
}


