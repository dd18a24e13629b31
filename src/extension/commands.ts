/** The `ClawGym:` commands. Each one that runs an agent or a verifier first checks Workspace Trust. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors.js';
import { readTrialVerify, runPaths } from '../core/runs/folder.js';
import { readResults } from '../core/runs/store.js';
import { reviewFileOf, StaleFileError, writeReview } from '../core/task/review.js';
import type { ReviewStatus } from '../core/task/schema.js';
import { VerifyResult } from '../core/verify/result.js';
import { materializeFileSet } from '../core/workspace/copy.js';
import type { VerificationState } from '../protocol/verification.js';
import { runCli } from './cli-process.js';
import { baseFolder, settings } from './config.js';
import { verifyArgv, type CliLocation } from './model/cli.js';
import { isBroken, problemLabel, taskFileOf, type ReviewFilter, type TaskEntry } from './model/task-tree.js';
import { taskSoundness } from './model/soundness.js';
import { offerNativeConversion } from './authoring/authoring.js';
import { verificationState } from './model/verification.js';
import type { TaskIndex } from './task-index.js';
import { runInTerminal, type RunStatus } from './terminal-run.js';
import type { VerificationPanels } from './verification-panel.js';
import type { RunTreeNode, RunsView } from './views/runs-view.js';
import type { TaskTreeNode, TasksView } from './views/tasks-view.js';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  index: TaskIndex;
  tasksView: TasksView;
  benchView: TasksView;
  runsView: RunsView;
  panels: VerificationPanels;
  status: RunStatus;
  log: vscode.LogOutputChannel;
  cli: () => CliLocation;
  env: () => Promise<Record<string, string>>;
}

export const API_KEY_SECRET = 'clawgym.apiKey';

/**
 * `.clawgym/clawgym.code-workspace` beside the materialized workspaces: the open folder first (so
 * ClawGym finds the same tasks after the reload), then the task workspaces. Absolute paths: VS Code
 * for the Web does not resolve relative ones in a workspace file it reopens into.
 */
async function writeTaskWorkspaceFile(current: Array<{ path: string; name: string }>, add: { path: string; name: string }): Promise<string> {
  const file = join(dirname(settings().workspacesDir), 'clawgym.code-workspace');
  let existing: { folders?: Array<{ path: string; name?: string }>; settings?: unknown } = {};
  try {
    existing = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    /* none yet, or not ours to keep */
  }
  const dir = dirname(file);
  const folders = [...current, ...(existing.folders ?? []).map((f) => ({ path: resolve(dir, f.path), name: f.name ?? basename(f.path) })), add];
  const seen = new Set<string>();
  const unique = folders.filter((f) => !seen.has(f.path) && seen.add(f.path));
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${JSON.stringify({ folders: unique.map((f) => ({ path: f.path, name: f.name })), settings: existing.settings ?? {} }, null, 2)}\n`);
  return file;
}

/** No agent and no verifier in an untrusted workspace: say so, and offer the way out. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage('ClawGym runs no agent and no verifier in an untrusted workspace.', 'Manage Workspace Trust')
    .then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

async function pickTask(index: TaskIndex, placeHolder: string, filter: (t: TaskEntry) => boolean = () => true): Promise<TaskEntry | undefined> {
  await index.ready();
  const items = index
    .entries()
    .filter(filter)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((t) => ({ label: t.id, description: `${t.category} · ${t.pool}`, detail: t.title, task: t }));
  if (!items.length) {
    void vscode.window.showInformationMessage('ClawGym: no tasks found. Set clawgym.taskRoots or open a folder with tasks.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true }))?.task;
}

const taskOf = (node: unknown): TaskEntry | undefined => ((node as TaskTreeNode | undefined)?.kind === 'task' ? (node as Extract<TaskTreeNode, { kind: 'task' }>).task : undefined);

/**
 * A task that does not load cannot run or be reviewed: say why (its first problem, with its
 * position) and offer to open the file there. True when the task is broken.
 */
export function explainBroken(t: TaskEntry, what: string): boolean {
  if (!isBroken(t)) return false;
  const first = t.problems[0]!;
  const more = t.problems.length > 1 ? ` (and ${t.problems.length - 1} more)` : '';
  void vscode.window
    .showErrorMessage(`ClawGym: ${t.id} cannot ${what}: its ${first.file.split('/').at(-1)} does not load — ${problemLabel(first)}${more}. Fix it and it comes back.`, 'Open at the Problem')
    .then((c) => {
      if (!c) return;
      const at = new vscode.Position(Math.max(0, (first.line ?? 1) - 1), Math.max(0, (first.column ?? 1) - 1));
      return vscode.window.showTextDocument(vscode.Uri.file(first.file), { selection: new vscode.Range(at, at) });
    });
  return true;
}

/** Accepting a task no sanity run vouches for asks first (modal), saying what is missing. */
export async function confirmAccept(task: TaskEntry, index: TaskIndex): Promise<boolean> {
  const v = taskSoundness(settings().runsDir, task, new Set(index.byId(task.id).map((t) => t.entry.source).filter((s) => s !== task.source)));
  if (v.state === 'sound') return true;
  const never = v.missing.length === 2;
  const detail = never
    ? `${task.id} was never run: no oracle or nop result says it is sound (the oracle must score 1, nop 0). Run both first (Run Agent on Task, or the Test Explorer's Oracle and Nop profiles), or accept it as it is.`
    : v.state === 'unsound'
      ? `${task.id} is unsound: ${v.reasons.join('; ')}.`
      : `${task.id} is untested: ${v.reasons.join('; ')}.`;
  const c = await vscode.window.showWarningMessage(never ? `Accept ${task.id}, which was never run?` : `Accept ${task.id}, which is ${v.state}?`, { modal: true, detail }, 'Accept Anyway');
  return c === 'Accept Anyway';
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const { index, log, panels } = d;
  const refreshAll = () => {
    d.tasksView.refresh();
    d.benchView.refresh();
    d.runsView.refresh();
  };

  const showTrial = (runDir: string, trialDir: string, taskId: string) => {
    const v = readTrialVerify(trialDir);
    if (!v) return void vscode.window.showWarningMessage(`ClawGym: no verify.json in ${trialDir} yet.`);
    const line = readResults(runPaths(runDir).results).results.find((r) => join(runDir, r.trial_dir) === trialDir);
    panels.show(verificationState(v, { kind: 'trial', runId: basename(runDir), trialDir, agent: line?.agent ?? '?', attempt: line?.attempt ?? 1 }, line));
    log.info(`verification of ${taskId}: ${trialDir}`);
  };

  const verifyFolder = async (task: TaskEntry, folder: string): Promise<VerificationState | undefined> => {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ClawGym: verifying ${basename(folder)} as ${task.id}…` }, () =>
      runCli(verifyArgv(d.cli(), task.source, folder, settings().sandbox), {}),
    );
    let v: VerifyResult | undefined;
    try {
      v = VerifyResult.parse(JSON.parse(r.stdout));
    } catch {
      log.error(`verify ${folder}: exit ${r.code}: ${r.stderr.trim()}`);
      void vscode.window.showErrorMessage(`ClawGym: verification failed: ${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.code}`}`);
      return undefined;
    }
    return verificationState(v, { kind: 'folder', folder });
  };

  const review = async (node: unknown, status: ReviewStatus) => {
    const task = taskOf(node) ?? (await pickTask(index, `Task to mark ${status}`, (t) => t.format === 'native'));
    if (!task || explainBroken(task, `be marked ${status}`)) return;
    const file = reviewFileOf(task);
    if (!file) return void offerNativeConversion(task, 'a review decision is written into task.yaml, which its format does not have');
    if (status === 'accepted' && !(await confirmAccept(task, index))) return;
    const seen = readFileSync(file, 'utf8');
    const notes = await vscode.window.showInputBox({
      title: `${status === 'accepted' ? 'Accept' : status === 'rejected' ? 'Reject' : 'Review'} ${task.id}`,
      prompt: 'A note for the review block (optional)',
      placeHolder: status === 'rejected' ? 'why it is rejected' : 'note',
    });
    if (notes === undefined) return;
    try {
      await writeReview(file, { status, notes, reviewer: userInfo().username }, { expectedText: seen });
      log.info(`${task.id}: review ${status}`);
      await index.reload();
      refreshAll();
      void vscode.window.setStatusBarMessage(`ClawGym: ${task.id} ${status}`, 3000);
    } catch (e) {
      const msg = e instanceof StaleFileError ? `${task.id}: task.yaml changed on disk while you reviewed; nothing was written. Review again.` : errorMessage(e);
      void vscode.window.showErrorMessage(`ClawGym: ${msg}`);
    }
  };

  const reg = vscode.commands.registerCommand;
  return [
    reg('clawgym.refresh', async () => {
      await index.reload();
      refreshAll();
    }),
    reg('clawgym.showOutput', () => log.show()),
    reg('clawgym.openTaskFile', async (node?: unknown) => {
      const t = taskOf(node) ?? (await pickTask(index, 'Task to open'));
      if (!t) return;
      // The file that defines the task in its own format: task.yaml, data_entry.json, task.toml, the .md.
      const first = t.problems[0];
      const f = first?.file ?? taskFileOf(t);
      const at = first?.line ? new vscode.Position(first.line - 1, (first.column ?? 1) - 1) : undefined;
      await vscode.window.showTextDocument(vscode.Uri.file(existsSync(f) ? f : t.source), { preview: true, ...(at ? { selection: new vscode.Range(at, at) } : {}) });
    }),
    reg('clawgym.openTaskWorkspace', async (node?: unknown) => {
      const t = taskOf(node) ?? (await pickTask(index, 'Task whose workspace to open'));
      if (!t || explainBroken(t, 'open its workspace')) return;
      const task = index.get(t.key)?.task;
      if (!task) return;
      const s = settings();
      const dest = join(s.workspacesDir, t.id);
      if (existsSync(dest)) {
        const c = await vscode.window.showWarningMessage(`${relative(baseFolder(), dest)} already exists.`, { modal: true }, 'Open It', 'Recreate');
        if (!c) return;
        if (c === 'Recreate') await rm(dest, { recursive: true, force: true });
      }
      if (!existsSync(dest)) {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ClawGym: materializing ${t.id}…` }, async () => {
          let files = 0;
          await mkdir(dest, { recursive: true });
          for (const set of task.workspace) files += (await materializeFileSet(set, dest)).files;
          log.info(`${t.id}: ${files} file(s) materialized into ${dest}`);
        });
      }
      const uri = vscode.Uri.file(dest);
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (s.openWorkspaceIn !== 'addToWorkspace' || !folders.length) {
        await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: s.openWorkspaceIn === 'newWindow' });
      } else if (vscode.workspace.workspaceFile) {
        // A multi-root workspace takes another root in place.
        if (!folders.some((f) => f.uri.fsPath === dest)) vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name: `task: ${t.id}` });
        await vscode.commands.executeCommand('workbench.view.explorer');
        await vscode.commands.executeCommand('revealInExplorer', uri);
      } else if (vscode.env.uiKind === vscode.UIKind.Desktop) {
        // Desktop turns a single-folder window into an untitled workspace (extension host restart).
        vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name: `task: ${t.id}` });
      } else if (folders.some((f) => dest.startsWith(f.uri.fsPath + '/'))) {
        // VS Code for the Web reloads the page for that and can lose the untitled workspace; the
        // folder is already inside this one, so show it where it is.
        await vscode.commands.executeCommand('workbench.view.explorer');
        await vscode.commands.executeCommand('revealInExplorer', uri);
        void vscode.window.showInformationMessage(`ClawGym: ${t.id}'s workspace is in ${relative(baseFolder(), dest)}.`, 'Open in New Window').then((c) => c && vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true }));
      } else {
        // Outside this folder, in the browser: save a workspace file with both and reopen into it.
        const file = await writeTaskWorkspaceFile(folders.map((f) => ({ path: f.uri.fsPath, name: f.name })), { path: dest, name: `task: ${t.id}` });
        log.info(`${t.id}: reopening in ${file} (this folder plus the task workspace)`);
        await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(file));
      }
    }),
    reg('clawgym.runAgent', async (node?: unknown) => {
      if (!requireTrust()) return;
      const t = taskOf(node) ?? (await pickTask(index, 'Task to run an agent on'));
      if (!t || explainBroken(t, 'run')) return;
      const s = settings();
      const agents = ['oracle', 'nop', 'command', 'claw'].sort((a, b) => (a === s.defaultAgent ? -1 : b === s.defaultAgent ? 1 : 0));
      const descr: Record<string, string> = {
        oracle: "the task's solution/solve.sh (a sound task scores 1)",
        nop: 'does nothing (a sound task scores 0)',
        command: s.agentCommand ? `runs: ${s.agentCommand}` : 'runs clawgym.agentCommand (asks for it)',
        claw: s.model ? `ClawGym's tool loop with ${s.model}${s.baseUrl ? ` at ${s.baseUrl}` : ''}` : "ClawGym's tool loop over an OpenAI-compatible model (asks for clawgym.model)",
      };
      const pick = await vscode.window.showQuickPick(agents.map((a) => ({ label: a, description: descr[a] })), { placeHolder: `Agent to run on ${t.id}` });
      if (!pick) return;
      if (pick.label === 'command' && !s.agentCommand) {
        const cmd = await vscode.window.showInputBox({ prompt: 'The agent command line, run inside the sandbox ({instruction} stands for the instruction)', placeHolder: 'openclaw --message {instruction}' });
        if (!cmd) return;
        await vscode.workspace.getConfiguration('clawgym').update('agentCommand', cmd, vscode.ConfigurationTarget.Workspace);
      }
      if (pick.label === 'claw' && !s.model) {
        const model = await vscode.window.showInputBox({ prompt: 'Model for the claw agent (clawgym.model); the endpoint is clawgym.baseUrl, the key ClawGym: Set API Key', placeHolder: 'gpt-4.1-mini' });
        if (!model) return;
        await vscode.workspace.getConfiguration('clawgym').update('model', model, vscode.ConfigurationTarget.Workspace);
      }
      const outcome = await runInTerminal({ task: t, agent: pick.label, cli: d.cli(), env: await d.env(), log, status: d.status });
      d.runsView.refresh();
      if (!outcome) return;
      if (outcome.verify) panels.show(verificationState(outcome.verify, { kind: 'trial', runId: basename(outcome.runDir), trialDir: outcome.trialDir, agent: outcome.line.agent, attempt: outcome.line.attempt }, outcome.line));
      else void vscode.window.showWarningMessage(`ClawGym: ${t.id}: ${outcome.line.error ?? 'no verification result'}`);
    }),
    reg('clawgym.showVerification', (node?: RunTreeNode) => {
      if (node?.kind !== 'trial') return;
      showTrial(node.run.dir, node.trial.dir, node.trial.taskId);
    }),
    reg('clawgym.verifyFolder', async (uri?: vscode.Uri) => {
      if (!requireTrust()) return;
      const folder = uri?.fsPath ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Verify' }))?.[0]?.fsPath;
      if (!folder) return;
      await index.ready();
      const s = settings();
      const guess = dirname(folder) === s.workspacesDir ? index.byId(basename(folder)) : [];
      const task = guess.length === 1 ? guess[0]!.entry : await pickTask(index, `Which task is ${basename(folder)} a workspace of?`);
      if (!task) return;
      const state = await verifyFolder(task, folder);
      if (state) panels.show(state, { reverify: () => verifyFolder(task, folder) });
    }),
    reg('clawgym.acceptTask', (node?: unknown) => review(node, 'accepted')),
    reg('clawgym.rejectTask', (node?: unknown) => review(node, 'rejected')),
    reg('clawgym.filterReview', async () => {
      const current = settings().reviewFilter;
      const options: ReviewFilter[] = ['all', 'pending', 'accepted', 'rejected', 'needs_edit'];
      const pick = await vscode.window.showQuickPick(
        options.map((o) => ({ label: o, description: o === current ? 'current' : undefined })),
        { placeHolder: 'Show tasks with review status' },
      );
      if (!pick) return;
      await vscode.workspace.getConfiguration('clawgym').update('reviewFilter', pick.label, vscode.ConfigurationTarget.Workspace);
      d.tasksView.refresh();
    }),
    reg('clawgym.setApiKey', async () => {
      const key = await vscode.window.showInputBox({ title: 'ClawGym: API key', prompt: 'Kept in VS Code SecretStorage; given to runs as OPENAI_API_KEY, never written to runs or logs.', password: true, ignoreFocusOut: true });
      if (!key) return;
      await d.context.secrets.store(API_KEY_SECRET, key.trim());
      void vscode.window.showInformationMessage('ClawGym: API key saved.');
    }),
    reg('clawgym.clearApiKey', async () => {
      await d.context.secrets.delete(API_KEY_SECRET);
      void vscode.window.showInformationMessage('ClawGym: API key removed.');
    }),
    reg('clawgym.openRunFolder', (node?: RunTreeNode) => node && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(node.run.dir))),
  ];
}
