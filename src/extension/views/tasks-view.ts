/**
 * The Tasks view (every task, filtered by review status) and the Bench view (accepted tasks):
 * pool → category → task. Task items carry `task:<format>` as context value for the menus.
 */
import * as vscode from 'vscode';
import { settings } from '../config.js';
import { buildTaskTree, describeSource, type CategoryNode, type PoolNode, type ReviewFilter, type TaskEntry } from '../model/task-tree.js';
import type { TaskIndex } from '../task-index.js';

export type TaskTreeNode = { kind: 'pool'; pool: PoolNode } | { kind: 'category'; cat: CategoryNode } | { kind: 'task'; task: TaskEntry };

const REVIEW_ICON: Record<TaskEntry['review'], vscode.ThemeIcon> = {
  pending: new vscode.ThemeIcon('circle-large-outline'),
  accepted: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  rejected: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  needs_edit: new vscode.ThemeIcon('edit', new vscode.ThemeColor('list.warningForeground')),
};

export class TasksView implements vscode.TreeDataProvider<TaskTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly index: TaskIndex,
    private readonly mode: 'tasks' | 'bench',
  ) {
    this.sub = index.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  private filter(): ReviewFilter {
    return this.mode === 'bench' ? 'accepted' : settings().reviewFilter;
  }

  async getChildren(node?: TaskTreeNode): Promise<TaskTreeNode[]> {
    if (!node) {
      await this.index.ready();
      return buildTaskTree(this.index.entries(), this.index.taskRoots, this.filter()).map((pool) => ({ kind: 'pool', pool }));
    }
    if (node.kind === 'pool') return node.pool.categories.map((cat) => ({ kind: 'category', cat }));
    if (node.kind === 'category') return node.cat.tasks.map((task) => ({ kind: 'task', task }));
    return [];
  }

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
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
    const t = node.task;
    const item = new vscode.TreeItem(t.id, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.mode}:task:${t.key}`;
    item.description = [t.difficulty ? `d${t.difficulty}` : '', t.review !== 'pending' ? t.review.replace('_', ' ') : ''].filter(Boolean).join(' · ');
    const tip = new vscode.MarkdownString();
    tip.appendText(`${t.id}\n${t.title}\n\n${describeSource(t)}\nreview: ${t.review}`);
    item.tooltip = tip;
    item.iconPath = REVIEW_ICON[t.review];
    item.contextValue = `task:${t.format}`;
    item.command = { command: 'clawgym.openTaskFile', title: 'Open Task', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
