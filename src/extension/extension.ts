/**
 * VS Code entry point. Activation stays small: views, commands and the Test Explorer are wired
 * here; tasks load in the background; the task.yaml language server starts only when such a
 * file is first opened. Agents and verifiers run through the clawgym CLI (terminal or child
 * process), never inside the extension host.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { API_KEY_SECRET, registerCommands, requireTrust } from './commands.js';
import { settings } from './config.js';
import type { CliLocation } from './model/cli.js';
import { TaskIndex } from './taskIndex.js';
import { RunStatus } from './terminalRun.js';
import { TaskTests } from './testing.js';
import { VerificationPanels } from './verificationPanel.js';
import { RunsView } from './views/runsView.js';
import { TasksView } from './views/tasksView.js';

let client: LanguageClient | undefined;

function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  if (client) return;
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.cjs'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'clawgym-task' }],
    outputChannel: log,
  };
  client = new LanguageClient('clawgym', 'ClawGym task.yaml', serverOptions, clientOptions);
  void client.start();
  log.info('task.yaml language server started');
}

export function activate(context: vscode.ExtensionContext): void {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('ClawGym', { log: true });
  const index = new TaskIndex(log);
  const tasksView = new TasksView(index, 'tasks');
  const benchView = new TasksView(index, 'bench');
  const runsView = new RunsView();
  const panels = new VerificationPanels(context.extensionUri, log);
  const status = new RunStatus();
  const cli = (): CliLocation => {
    const s = settings();
    return { cliPath: s.cliPath, nodePath: s.nodePath, bundledCli: context.asAbsolutePath(path.join('dist', 'cli.cjs')) };
  };
  // Keys reach runs through the environment only.
  const env = async (): Promise<Record<string, string>> => {
    const key = await context.secrets.get(API_KEY_SECRET);
    const base = settings().baseUrl;
    return { ...(key ? { OPENAI_API_KEY: key } : {}), ...(base ? { OPENAI_BASE_URL: base } : {}) };
  };
  const tasksTree = vscode.window.createTreeView('clawgym.tasks', { treeDataProvider: tasksView, showCollapseAll: true });
  const describeFilter = () => {
    const f = settings().reviewFilter;
    tasksTree.description = f === 'all' ? undefined : `review: ${f.replace('_', ' ')}`;
  };
  describeFilter();
  const tests = new TaskTests({ index, cli, env, log, status, requireTrust, onRunFinished: () => runsView.refresh() });

  context.subscriptions.push(
    log,
    index,
    tasksView,
    benchView,
    runsView,
    panels,
    status,
    tests,
    tasksTree,
    vscode.window.createTreeView('clawgym.bench', { treeDataProvider: benchView, showCollapseAll: true }),
    vscode.window.createTreeView('clawgym.runs', { treeDataProvider: runsView }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('clawgym.reviewFilter')) {
        describeFilter();
        tasksView.refresh();
      }
      if (e.affectsConfiguration('clawgym.runsDirectory')) runsView.refresh();
    }),
    ...registerCommands({ context, index, tasksView, benchView, runsView, panels, status, log, cli, env }),
  );

  const startIfTaskDoc = (d: vscode.TextDocument) => d.languageId === 'clawgym-task' && startLanguageClient(context, log);
  vscode.workspace.textDocuments.forEach(startIfTaskDoc);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(startIfTaskDoc));

  void index.ready();
  log.info(`activated in ${(performance.now() - t0).toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: no agent or verifier will run)'}`);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
