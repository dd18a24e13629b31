/**
 * Run Agent on Task: the clawgym CLI in an integrated terminal (the author sees exactly what runs
 * and can stop it), with the trial's events.jsonl followed for live progress in the status bar.
 * Shell integration runs the command when the terminal offers it; otherwise sendText.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { newRunId, readTrialVerify, runPaths, trialDirOf, trialFile } from '../core/runs/folder.js';
import { readResults } from '../core/runs/store.js';
import type { ResultLine } from '../core/runs/records.js';
import type { VerifyResult } from '../core/verify/result.js';
import { baseFolder, settings } from './config.js';
import { shellLine } from '../core/shell.js';
import { runArgv, type CliLocation } from './model/cli.js';
import { JsonlTail } from './model/events-tail.js';
import type { TaskEntry } from './model/task-tree.js';

export interface TrialOutcome {
  runDir: string;
  trialDir: string;
  line: ResultLine;
  verify: VerifyResult | undefined;
}

/** The status-bar item of the active run(s). */
export class RunStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('clawgym.run', vscode.StatusBarAlignment.Left, 50);
  private readonly active = new Map<string, string>();

  constructor() {
    this.item.name = 'ClawGym run';
    this.item.command = 'clawgym.showOutput';
  }

  set(key: string, text: string | undefined): void {
    if (text === undefined) this.active.delete(key);
    else this.active.set(key, text);
    const texts = [...this.active.values()];
    if (!texts.length) return void this.item.hide();
    this.item.text = `$(sync~spin) ${texts.length === 1 ? texts[0] : `ClawGym: ${texts.length} runs`}`;
    this.item.tooltip = texts.join('\n');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Wait briefly for shell integration; undefined when the shell has none. */
function shellIntegrationOf(t: vscode.Terminal, ms = 3000): Promise<vscode.TerminalShellIntegration | undefined> {
  if (t.shellIntegration) return Promise.resolve(t.shellIntegration);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(undefined);
    }, ms);
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== t) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e.shellIntegration);
    });
  });
}

export async function runInTerminal(
  o: { task: TaskEntry; agent: string; cli: CliLocation; env: Record<string, string>; log: vscode.LogOutputChannel; status: RunStatus },
): Promise<TrialOutcome | undefined> {
  const s = settings();
  const runId = newRunId(o.agent);
  const runDir = join(s.runsDir, runId);
  const argv = runArgv(o.cli, { taskSources: [o.task.source], taskIds: [o.task.id], agent: o.agent, out: runDir, sandbox: s.sandbox, command: s.agentCommand || undefined, model: s.model || undefined });
  const line = shellLine(argv);
  const terminal = vscode.window.createTerminal({
    name: `ClawGym: ${o.task.id}`,
    cwd: baseFolder(),
    env: o.env, // the API key travels in the environment, never on the command line
    iconPath: new vscode.ThemeIcon('beaker'),
  });
  terminal.show(true);
  o.log.info(`run ${runId}: ${o.task.id} with ${o.agent} in the terminal`);
  const si = await shellIntegrationOf(terminal);
  if (si) si.executeCommand(line);
  else terminal.sendText(line, true);

  const trialDir = trialDirOf(runDir, o.task.id, 1);
  const key = runId;
  o.status.set(key, `ClawGym: ${o.task.id} — starting`);
  const events = new JsonlTail(trialFile(trialDir, 'events'), (e) => {
    const ev = e as { type?: string; phase?: string; state?: string; id?: string };
    if (ev.type === 'phase' && ev.state === 'start') o.status.set(key, `ClawGym: ${o.task.id} — ${ev.phase}`);
    if (ev.type === 'check') o.status.set(key, `ClawGym: ${o.task.id} — verify (${ev.id})`);
  }).start();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `ClawGym: ${o.task.id}` }, () =>
      new Promise<TrialOutcome | undefined>((resolve) => {
        const results = runPaths(runDir).results;
        const check = (): boolean => {
          const found = readResults(results).results.find((r) => r.task_id === o.task.id);
          if (found) done({ runDir, trialDir: join(runDir, found.trial_dir), line: found, verify: readTrialVerify(join(runDir, found.trial_dir)) });
          return !!found;
        };
        const done = (v: TrialOutcome | undefined) => {
          clearInterval(poll);
          closed.dispose();
          ended.dispose();
          resolve(v);
        };
        const poll = setInterval(check, 250);
        const closed = vscode.window.onDidCloseTerminal((t) => t === terminal && done(undefined));
        // With shell integration we also learn when the CLI exits without a result (bad setup, Ctrl-C).
        const ended = vscode.window.onDidEndTerminalShellExecution((e) => {
          if (e.terminal !== terminal || check()) return;
          o.log.warn(`run ${runId}: the CLI exited with ${e.exitCode ?? 'an unknown code'} before ${o.task.id} finished`);
          void vscode.window.showWarningMessage(`ClawGym: the run of ${o.task.id} ended without a result (exit ${e.exitCode ?? '?'}); see the terminal.`);
          done(undefined);
        });
      }),
    );
  } finally {
    await events.poll();
    events.stop();
    o.status.set(key, undefined);
  }
}
