/**
 * The tasks of this workspace, loaded with the core loaders (every format) from `clawgym.taskRoots`
 * or, when that is empty, from the task folders found in the workspace. Reloads when task files
 * change; load errors go to the output channel with file:line:column.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { parse as parseYaml } from 'yaml';
import type { TaskLoadError } from '../core/errors.js';
import { loadTasks } from '../core/task/load.js';
import { TASK_FORMATS, type Task, type TaskFormat } from '../core/task/task.js';
import { settings } from './config.js';
import { brokenEntry, taskEntry, type RawTaskFields, type TaskEntry } from './model/task-tree.js';

const TASK_GLOB = '**/{task.yaml,data_entry.json,task.toml}';
const SKIP = '**/{node_modules,.git,runs,.clawgym}/**';

export class TaskIndex implements vscode.Disposable {
  private tasks = new Map<string, { task: Task; entry: TaskEntry }>();
  /** Tasks that did not load, by key: shown as error nodes until they load again. */
  private broken = new Map<string, TaskEntry>();
  private roots: string[] = [];
  private loading: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(TASK_GLOB);
    const soon = () => this.scheduleReload();
    this.disposables.push(watcher, watcher.onDidChange(soon), watcher.onDidCreate(soon), watcher.onDidDelete(soon));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('clawgym') && soon()),
      vscode.workspace.onDidChangeWorkspaceFolders(soon),
    );
  }

  /** Reload a little later, once: saving a task often touches several files. */
  scheduleReload(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), 300);
  }

  ready(): Promise<void> {
    return (this.loading ??= this.reload());
  }

  async reload(): Promise<void> {
    const p = this.load();
    this.loading = p;
    await p;
  }

  private async load(): Promise<void> {
    const t0 = performance.now();
    const s = settings();
    const roots = s.taskRoots.length ? s.taskRoots : await this.discoverTaskFolders(s);
    const { tasks, errors } = roots.length ? await loadTasks(roots) : { tasks: [], errors: [] as TaskLoadError[] };
    this.roots = s.taskRoots.length ? s.taskRoots : [...new Set(roots.map((r) => dirname(r)))];
    this.tasks = new Map();
    for (const task of tasks) {
      const entry = taskEntry(task, this.roots);
      if (this.tasks.has(entry.key)) this.log.warn(`duplicate task id ${task.spec.id}: ${task.source} hides ${this.tasks.get(entry.key)!.task.source}`);
      this.tasks.set(entry.key, { task, entry });
    }
    this.broken = new Map();
    for (const e of errors) {
      this.log.error(e.message);
      if (!e.source) continue;
      const entry = brokenEntry(e.source, e, rawFields(e.source, e.format), this.roots);
      // A broken duplicate of a task that loaded under the same key is the loaded one's shadow.
      if (this.tasks.has(entry.key)) entry.key = JSON.stringify([entry.key, e.source]);
      if (!this.broken.has(entry.key)) this.broken.set(entry.key, entry);
    }
    this.log.info(`loaded ${tasks.length} task(s)${errors.length ? `, ${errors.length} with errors` : ''} in ${(performance.now() - t0).toFixed(0)} ms`);
    void vscode.commands.executeCommand('setContext', 'clawgym.hasTasks', tasks.length > 0);
    this.changed.fire();
  }

  private async discoverTaskFolders(s: { runsDir: string; workspacesDir: string }): Promise<string[]> {
    if (!vscode.workspace.workspaceFolders?.length) return [];
    const files = await vscode.workspace.findFiles(TASK_GLOB, SKIP, 100_000);
    const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + '/');
    const dirs = new Set<string>();
    for (const f of files) {
      const d = dirname(f.fsPath);
      if (inside(d, s.runsDir) || inside(d, s.workspacesDir)) continue;
      dirs.add(d);
    }
    // A folder inside another task folder (e.g. a task's own workspace/ holding a task.yaml) is data, not a task.
    const nested = (d: string) => {
      for (let p = dirname(d); p !== dirname(p); p = dirname(p)) if (dirs.has(p)) return true;
      return false;
    };
    return [...dirs].filter((d) => !nested(d)).sort();
  }

  get taskRoots(): readonly string[] {
    return this.roots;
  }

  /** The tasks that loaded. */
  entries(): TaskEntry[] {
    return [...this.tasks.values()].map((t) => t.entry);
  }

  /** The tasks that did not load (their problems in `problems`). */
  brokenEntries(): TaskEntry[] {
    return [...this.broken.values()];
  }

  /** Both, for the views: a broken task keeps its place. */
  allEntries(): TaskEntry[] {
    return [...this.entries(), ...this.brokenEntries()];
  }

  /** A broken task by key. */
  brokenEntry(key: string): TaskEntry | undefined {
    return this.broken.get(key);
  }

  get(key: string): { task: Task; entry: TaskEntry } | undefined {
    return this.tasks.get(key);
  }

  byId(id: string): Array<{ task: Task; entry: TaskEntry }> {
    return [...this.tasks.values()].filter((t) => t.entry.id === id);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * What a task's file still says when it does not load (bad schema, or even bad syntax): id, title
 * and category, read leniently so the error node is named as the author named the task.
 */
function rawFields(source: string, format: string | undefined): RawTaskFields {
  const fmt: TaskFormat = (TASK_FORMATS as readonly string[]).includes(format ?? '') ? (format as TaskFormat) : 'native';
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  try {
    if (fmt === 'native') {
      const raw = parseYaml(readFileSync(join(source, 'task.yaml'), 'utf8'), { logLevel: 'silent', uniqueKeys: false }) as Record<string, unknown> | null;
      return { format: fmt, id: str(raw?.id), title: str(raw?.title), category: str(raw?.category) };
    }
    if (fmt === 'clawgym') {
      const raw = JSON.parse(readFileSync(join(source, 'data_entry.json'), 'utf8')) as Record<string, unknown>;
      const meta = (raw.metadata ?? {}) as Record<string, unknown>;
      return { format: fmt, id: str(raw.task_id), category: str(meta.category) };
    }
  } catch {
    /* unreadable even leniently: the folder's name stands for it */
  }
  return { format: fmt };
}

