/**
 * VS Code entry point. Activation stays small: views, commands and the Test Explorer are wired
 * here; tasks load in the background; the task.yaml language server starts only when such a
 * file is first opened. Agents and verifiers run through the clawgym CLI (terminal or child
 * process), never inside the extension host.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerAuthoring } from './authoring/authoring.js';
import { API_KEY_SECRET, registerCommands, requireTrust } from './commands.js';
import { settings } from './config.js';
import { registerTaskLanguageClient, stopTaskLanguageClient } from './language-client.js';
import type { CliLocation } from './model/cli.js';
import { registerReview } from './review-panel.js';
import { registerRunReports } from './run-reports.js';
import { registerBench } from './bench/bench-workflow.js';
import { RunsWatcher } from './runs-watcher.js';
import { SoundnessState } from './soundness-state.js';
import { TaskIndex } from './task-index.js';
import { RunStatus, runInTerminal } from './terminal-run.js';
import { checkLocations, TaskTests } from './testing.js';
import { checkNotes } from './model/verification.js';
import { taskFileOf } from './model/task-tree.js';
import { registerTrajectoryDebugger } from './trajectory-panel.js';
import { VerificationPanels } from './verification-panel.js';
import { RunsView } from './views/runs-view.js';
import { TasksView } from './views/tasks-view.js';

export function activate(context: vscode.ExtensionContext): void {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('ClawGym', { log: true });
  const index = new TaskIndex(log);
  const runsWatcher = new RunsWatcher();
  const sound = new SoundnessState(index, runsWatcher, log);
  const tasksView = new TasksView(index, 'tasks', sound);
  const benchView = new TasksView(index, 'bench', sound);
  const runsView = new RunsView();
  const panels = new VerificationPanels(context.extensionUri, log);
  const status = new RunStatus();
  // The Verification view annotates checks from the task as it is now, and follows new runs.
  panels.connect((taskId) => {
    const found = index.byId(taskId)[0];
    if (!found) return undefined;
    const lines = new Map([...checkLocations(found.entry)].flatMap(([id, p]) => (p.line ? [[id, p.line] as const] : [])));
    return { notes: checkNotes(found.task.spec.verify.checks, lines), taskFile: found.entry.format === 'native' ? taskFileOf(found.entry) : undefined };
  }, runsWatcher.onDidChange);
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
  const tests = new TaskTests({ index, cli, env, log, status, requireTrust, sound, onRunFinished: () => runsView.refresh() });

  context.subscriptions.push(
    log,
    index,
    runsWatcher,
    sound,
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
    // The trajectory debugger (ClawGym: Open Trajectory) and its snapshot documents.
    ...registerTrajectoryDebugger(context, log, (id) => tests.trialOf(id)),
    // Run reports and run comparisons in webviews (Open Run Report, Compare Runs).
    ...registerRunReports({ extensionUri: context.extensionUri, log, runsView }),
    // The Bench view's workflow: Build / Check / Calibrate Bench, bench check in the Problems panel.
    ...registerBench({ extensionUri: context.extensionUri, index, benchView, log, cli, env, requireTrust }),
  );
  // Task review panels (ClawGym: Review Tasks); oracle / nop runs take the Run Agent on Task path.
  context.subscriptions.push(
    ...registerReview({
      extensionUri: context.extensionUri,
      index,
      log,
      verification: panels,
      requireTrust,
      run: async (task, agent) => {
        const outcome = await runInTerminal({ task, agent, cli: cli(), env: await env(), log, status });
        runsView.refresh();
        return outcome;
      },
    }),
  );

  // Authoring: New Task from Template, Duplicate Task, Add Check, Convert to Native Task.
  context.subscriptions.push(...registerAuthoring({ context, index, log, cli }));

  context.subscriptions.push(registerTaskLanguageClient(context, log));

  void index.ready();
  log.info(`activated in ${(performance.now() - t0).toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: no agent or verifier will run)'}`);
}

export async function deactivate(): Promise<void> {
  await stopTaskLanguageClient();
}
