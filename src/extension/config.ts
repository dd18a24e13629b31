/** The `clawgym.*` settings, read fresh each time (they may change while the window is open). */
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { ReviewFilter } from './model/task-tree.js';

export type OpenWorkspaceIn = 'addToWorkspace' | 'newWindow' | 'currentWindow';

export interface Settings {
  taskRoots: string[];
  runsDir: string;
  workspacesDir: string;
  openWorkspaceIn: OpenWorkspaceIn;
  defaultAgent: string;
  agentCommand: string;
  model: string;
  baseUrl: string;
  sandbox: 'bwrap' | 'none';
  concurrency: number;
  cliPath: string;
  nodePath: string;
  reviewFilter: ReviewFilter;
}

/** The folder relative settings are resolved against: the first workspace folder, else home. */
export function baseFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.env.HOME ?? process.cwd();
}

const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseFolder(), p));

export function settings(): Settings {
  const c = vscode.workspace.getConfiguration('clawgym');
  return {
    taskRoots: c.get<string[]>('taskRoots', []).filter(Boolean).map(abs),
    runsDir: abs(c.get('runsDirectory', 'runs') || 'runs'),
    workspacesDir: abs(c.get('workspacesDirectory', join('.clawgym', 'workspaces')) || join('.clawgym', 'workspaces')),
    openWorkspaceIn: c.get<OpenWorkspaceIn>('openWorkspaceIn', 'addToWorkspace'),
    defaultAgent: c.get('defaultAgent', 'oracle'),
    agentCommand: c.get('agentCommand', ''),
    model: c.get('model', ''),
    baseUrl: c.get('baseUrl', ''),
    sandbox: c.get<'bwrap' | 'none'>('sandbox', 'bwrap'),
    concurrency: c.get<number>('concurrency', 0) || availableParallelism(),
    cliPath: c.get('cliPath', ''),
    nodePath: c.get('nodePath', 'node') || 'node',
    reviewFilter: c.get<ReviewFilter>('reviewFilter', 'all'),
  };
}
