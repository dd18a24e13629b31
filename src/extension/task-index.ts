/**
 * The tasks of this workspace, loaded with the core loaders (every format) from `clawgym.taskRoots`
 * or, when that is empty, from the task folders found in the workspace. Reloads when task files
 * change; load errors go to the output channel with file:line:column.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { TaskLoadError } from '../core/errors.js';
import { loadTasks } from '../core/task/load.js';
import type { Task } from '../core/task/task.js';
import { settings } from './config.js';
import { taskEntry, type TaskEntry } from './model/task-tree.js';

const TASK_GLOB = '**/{task.yaml,data_entry.json,task.toml}';
const SKIP = '**/{node_modules,.git,runs,.clawgym}/**';

export class TaskIndex implements vscode.Disposable {
  private tasks = new Map<string, { task: Task; entry: TaskEntry }>();
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
    for (const e of errors) this.log.error(e.message);
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

  entries(): TaskEntry[] {
    return [...this.tasks.values()].map((t) => t.entry);
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
