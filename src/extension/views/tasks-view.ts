/**
 * The Tasks view (every task, filtered by review status) and the Bench view (accepted tasks):
 * pool → category → task. A row shows the task's title (its id beside it), difficulty in words,
 * review status and sound state. A task that does not load stays in place as an error node whose
 * children are its problems (clicking one opens the file there). Task items carry
 * `task:<format>` (or `task:<format>:broken`) as context value for the menus.
 */
import * as vscode from 'vscode';
import { describeSoundness } from '../../core/runs/sanity.js';
import { settings } from '../config.js';
import { soundnessBadge } from '../model/soundness.js';
import {
  buildTaskTree,
  describeSource,
  difficultyLabel,
  difficultyTooltip,
  isBroken,
  problemLabel,
  type CategoryNode,
  type PoolNode,
  type ProblemView,
  type ReviewFilter,
  type TaskEntry,
} from '../model/task-tree.js';
import type { SoundnessState } from '../soundness-state.js';
import type { TaskIndex } from '../task-index.js';

export type TaskTreeNode =
  | { kind: 'pool'; pool: PoolNode }
  | { kind: 'category'; cat: CategoryNode }
  | { kind: 'task'; task: TaskEntry }
  | { kind: 'problem'; task: TaskEntry; problem: ProblemView; index: number }
  /** Rows another module puts above the pools (the Bench view's built bench and its check). */
  | { kind: 'extra'; node: ExtraNode };

export interface ExtraNode {
  item(): vscode.TreeItem;
  children(): ExtraNode[];
}

const REVIEW_ICON: Record<TaskEntry['review'], vscode.ThemeIcon> = {
  pending: new vscode.ThemeIcon('circle-large-outline'),
  accepted: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  rejected: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  needs_edit: new vscode.ThemeIcon('edit', new vscode.ThemeColor('list.warningForeground')),
};
const BROKEN_ICON = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));

/** The command that opens a task's file at a problem (or at its top). */
export function openAtProblem(t: TaskEntry, p: ProblemView | undefined): vscode.Command {
  const uri = vscode.Uri.file(p?.file ?? t.source);
  const at = p?.line ? new vscode.Range(p.line - 1, (p.column ?? 1) - 1, p.line - 1, (p.column ?? 1) - 1) : undefined;
  return { command: 'vscode.open', title: 'Open', arguments: [uri, at ? { selection: at, preview: true } : { preview: true }] };
}

export class TasksView implements vscode.TreeDataProvider<TaskTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly index: TaskIndex,
    private readonly mode: 'tasks' | 'bench',
    private readonly sound?: SoundnessState,
  ) {
    this.subs = [index.onDidChange(() => this.changed.fire()), ...(sound ? [sound.onDidChange(() => this.changed.fire())] : [])];
  }

  private header: () => ExtraNode[] = () => [];

  refresh(): void {
    this.changed.fire();
  }

  /** Rows shown above the pools; `refresh()` when they change. */
  setHeader(header: () => ExtraNode[]): void {
    this.header = header;
    this.changed.fire();
  }

  private filter(): ReviewFilter {
    return this.mode === 'bench' ? 'accepted' : settings().reviewFilter;
  }

  async getChildren(node?: TaskTreeNode): Promise<TaskTreeNode[]> {
    if (!node) {
      await this.index.ready();
      // The Bench holds accepted tasks that load; the Tasks view keeps broken ones in place.
      const entries = this.mode === 'bench' ? this.index.entries() : this.index.allEntries();
      const extra = this.header().map((n): TaskTreeNode => ({ kind: 'extra', node: n }));
      return [...extra, ...buildTaskTree(entries, this.index.taskRoots, this.filter()).map((pool): TaskTreeNode => ({ kind: 'pool', pool }))];
    }
    if (node.kind === 'extra') return node.node.children().map((n) => ({ kind: 'extra', node: n }));
    if (node.kind === 'pool') return node.pool.categories.map((cat) => ({ kind: 'category', cat }));
    if (node.kind === 'category') return node.cat.tasks.map((task) => ({ kind: 'task', task }));
    if (node.kind === 'task') return node.task.problems.map((problem, index) => ({ kind: 'problem', task: node.task, problem, index }));
    return [];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
    if (node.kind === 'extra') return node.node.item();
    if (node.kind === 'pool') {
      const item = new vscode.TreeItem(node.pool.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `${this.mode}:pool:${node.pool.key}`;
      item.description = `${node.pool.count}`;
      item.tooltip = node.pool.root;
      item.iconPath = new vscode.ThemeIcon('library');
      item.contextValue = 'pool';
      return item;
    }
    if (node.kind === 'category') {
      const item = new vscode.TreeItem(node.cat.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `${this.mode}:cat:${node.cat.key}`;
      item.description = `${node.cat.tasks.length}`;
      item.iconPath = new vscode.ThemeIcon('symbol-folder');
      item.contextValue = 'category';
      return item;
    }
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(problemLabel(node.problem), vscode.TreeItemCollapsibleState.None);
      item.id = `${this.mode}:problem:${node.task.key}:${node.index}`;
      item.tooltip = `${node.problem.file}${node.problem.line ? `:${node.problem.line}:${node.problem.column ?? 1}` : ''}\n${node.problem.message}`;
      item.iconPath = new vscode.ThemeIcon('circle-small-filled', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.contextValue = 'problem';
      item.command = openAtProblem(node.task, node.problem);
      return item;
    }
    const t = node.task;
    const broken = isBroken(t);
    const item = new vscode.TreeItem(t.title || t.id, broken ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // The same place whether the task loads or not (its key); the error node's own id, so that
    // VS Code shows it expanded (a known id keeps its old collapsed state).
    item.id = `${this.mode}:task:${t.key}${broken ? ':broken' : ''}`;
    const verdict = broken ? undefined : this.sound?.of(t.key);
    item.description = broken
      ? `${t.id} · ${t.problems.length} problem${t.problems.length === 1 ? '' : 's'}`
      : [t.id, difficultyLabel(t.difficulty), t.review !== 'pending' ? t.review.replace('_', ' ') : '', soundnessBadge(verdict)].filter(Boolean).join(' · ');
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**`).appendText(t.title).appendMarkdown(`**\n\n`);
    tip.appendText(`id: ${t.id}\n${describeSource(t)}\n`);
    if (broken) {
      tip.appendText(`\nThis task does not load (${t.problems.length} problem${t.problems.length === 1 ? '' : 's'}):\n`);
      for (const p of t.problems) tip.appendText(`• ${problemLabel(p)}\n`);
    } else {
      const d = difficultyTooltip(t.difficulty);
      if (d) tip.appendText(`${d}\n`);
      tip.appendText(`review: ${t.review.replace('_', ' ')}\n`);
      if (verdict) tip.appendText(`${describeSoundness(verdict)}\n`);
    }
    item.tooltip = tip;
    item.iconPath = broken ? BROKEN_ICON : REVIEW_ICON[t.review];
    item.contextValue = broken ? `task:${t.format}:broken` : `task:${t.format}`;
    item.command = broken ? openAtProblem(t, t.problems[0]) : { command: 'clawgym.openTaskFile', title: 'Open Task', arguments: [node] };
    return item;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
