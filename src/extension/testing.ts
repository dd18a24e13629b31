/**
 * Test Explorer: tasks as test items (pool → category → task), run profiles Oracle (default),
 * Nop and Agent. A run is one `clawgym run --json` child process over the chosen tasks; its JSON
 * lines drive the items, and a failure shows the failing checks (expected vs actual) as messages
 * that link to the trial's verify.json.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { findOpenclaw, OPENCLAW_VERSION } from '../core/agents/openclaw/install.js';
import { newRunId, readTrialVerify, trialFile } from '../core/runs/folder.js';
import { shellLine } from '../core/shell.js';
import { ResultLine } from '../core/runs/records.js';
import { baseFolder, settings } from './config.js';
import { runArgv, setupOpenclawArgv, type CliLocation } from './model/cli.js';
import { buildTaskTree, type TaskEntry } from './model/task-tree.js';
import { failingChecks } from './model/verification.js';
import type { TaskIndex } from './task-index.js';
import type { RunStatus } from './terminal-run.js';

export interface TestingDeps {
  index: TaskIndex;
  cli: () => CliLocation;
  env: () => Promise<Record<string, string>>;
  log: vscode.LogOutputChannel;
  status: RunStatus;
  requireTrust: () => boolean;
  onRunFinished: () => void;
}

/**
 * Test messages about a trial: located at its verify.json, they offer Open Trajectory
 * (`testing/message/context` and `testing/message/content` menus, `testMessage == clawgym.trial`).
 */
const TRIAL_MESSAGE = 'clawgym.trial';

export class TaskTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('clawgym', 'ClawGym');
  private readonly byItemId = new Map<string, TaskEntry>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly d: TestingDeps) {
    this.controller.refreshHandler = async () => d.index.reload();
    const profile = (label: string, agent: string, isDefault: boolean) =>
      this.controller.createRunProfile(label, vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token, agent), isDefault);
    profile('Oracle', 'oracle', true);
    profile('Nop', 'nop', false);
    profile('Agent', 'agent', false);
    profile('OpenClaw', 'openclaw', false);
    this.sub = d.index.onDidChange(() => this.rebuild());
    this.rebuild();
  }

  /** Mirror the task index; item ids are stable (pool root + id) so results survive a reload. */
  private rebuild(): void {
    this.byItemId.clear();
    const pools = buildTaskTree(this.d.index.entries(), this.d.index.taskRoots);
    const top: vscode.TestItem[] = [];
    for (const pool of pools) {
      const p = this.controller.createTestItem(`pool:${pool.key}`, pool.name, vscode.Uri.file(pool.root));
      for (const cat of pool.categories) {
        const c = this.controller.createTestItem(`cat:${cat.key}`, cat.name);
        for (const t of cat.tasks) {
          const file = t.format === 'native' ? join(t.source, 'task.yaml') : t.format === 'clawgym' ? join(t.source, 'data_entry.json') : t.source;
          const item = this.controller.createTestItem(`task:${t.key}`, t.id, vscode.Uri.file(file));
          item.description = t.difficulty ? `difficulty ${t.difficulty}` : undefined;
          item.tags = [new vscode.TestTag(t.format)];
          this.byItemId.set(item.id, t);
          c.children.add(item);
        }
        p.children.add(c);
      }
      top.push(p);
    }
    this.controller.items.replace(top);
  }

  private leaves(req: vscode.TestRunRequest): vscode.TestItem[] {
    const excluded = new Set((req.exclude ?? []).map((i) => i.id));
    const out: vscode.TestItem[] = [];
    const walk = (i: vscode.TestItem) => {
      if (excluded.has(i.id)) return;
      if (this.byItemId.has(i.id)) out.push(i);
      i.children.forEach(walk);
    };
    if (req.include) req.include.forEach(walk);
    else this.controller.items.forEach(walk);
    return out;
  }

  private async run(req: vscode.TestRunRequest, token: vscode.CancellationToken, profileAgent: string): Promise<void> {
    if (!this.d.requireTrust()) return;
    const s = settings();
    // The Agent profile: the claw agent when a model is set, else the configured command.
    const agent = profileAgent !== 'agent' ? profileAgent : s.model ? 'claw' : 'command';
    if (agent === 'command' && !s.agentCommand) {
      const open = await vscode.window.showWarningMessage('ClawGym: the Agent profile runs the claw agent with clawgym.model, or clawgym.agentCommand; neither is set.', 'Open Settings');
      if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'clawgym.model');
      return;
    }
    if (agent === 'openclaw' && !(await this.openclawReady(s.model))) return;
    const items = this.leaves(req);
    const run = this.controller.createTestRun(req, `ClawGym ${agent}`, true);
    for (const i of items) run.enqueued(i);
    // Ids must be unique within one CLI run: tasks sharing an id (two pools) go to separate batches.
    const batches: vscode.TestItem[][] = [];
    for (const i of items) {
      const id = this.byItemId.get(i.id)!.id;
      const b = batches.find((x) => !x.some((y) => this.byItemId.get(y.id)!.id === id));
      if (b) b.push(i);
      else batches.push([i]);
    }
    try {
      for (const batch of batches) {
        if (token.isCancellationRequested) break;
        await this.runBatch(run, batch, agent, token);
      }
    } finally {
      run.end();
      this.d.onRunFinished();
    }
  }

  /** OpenClaw needs `clawgym setup openclaw` once and a model: offer the setup (in a terminal) when it is missing. */
  private async openclawReady(model: string): Promise<boolean> {
    if (!findOpenclaw()) {
      const pick = await vscode.window.showInformationMessage(`ClawGym: OpenClaw ${OPENCLAW_VERSION} is not installed (from npm, ~1 GB, once).`, 'Set Up OpenClaw');
      if (pick) {
        const t = vscode.window.createTerminal({ name: 'ClawGym: setup openclaw' });
        t.show();
        t.sendText(shellLine(setupOpenclawArgv(this.d.cli())));
      }
      return false;
    }
    if (!model) {
      const open = await vscode.window.showWarningMessage('ClawGym: the OpenClaw profile needs clawgym.model (the model behind the recording proxy).', 'Open Settings');
      if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'clawgym.model');
      return false;
    }
    return true;
  }

  private async runBatch(run: vscode.TestRun, items: vscode.TestItem[], agent: string, token: vscode.CancellationToken): Promise<void> {
    const s = settings();
    const tasks = items.map((i) => this.byItemId.get(i.id)!);
    const byTaskId = new Map(tasks.map((t, k) => [t.id, items[k]!]));
    const runId = newRunId(agent);
    const runDir = join(s.runsDir, runId);
    const argv = runArgv(this.d.cli(), {
      taskSources: tasks.map((t) => t.source),
      taskIds: tasks.map((t) => t.id),
      agent,
      out: runDir,
      sandbox: s.sandbox,
      command: s.agentCommand || undefined,
      model: s.model || undefined,
      concurrency: s.concurrency,
      json: true,
    });
    run.appendOutput(`$ clawgym run … --agent ${agent} --out ${runDir}\r\n`);
    this.d.log.info(`test run ${runId}: ${tasks.length} task(s) with ${agent}`);
    const key = `tests:${runId}`;
    let finished = 0;
    this.d.status.set(key, `ClawGym: ${agent} 0/${tasks.length}`);
    const child = spawn(argv[0]!, argv.slice(1), { cwd: baseFolder(), env: { ...process.env, ...(await this.d.env()), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const cancel = token.onCancellationRequested(() => child.kill('SIGINT'));
    const seen = new Set<string>();
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        let ev: { event?: string; task_id?: string };
        try {
          ev = JSON.parse(l);
        } catch {
          continue;
        }
        const item = ev.task_id ? byTaskId.get(ev.task_id) : undefined;
        if (!item) continue;
        if (ev.event === 'trial_start') run.started(item);
        else if (ev.event === 'result') {
          const line = ResultLine.safeParse(ev);
          if (!line.success) continue;
          seen.add(item.id);
          this.report(run, item, line.data, runDir);
          this.d.status.set(key, `ClawGym: ${agent} ${++finished}/${tasks.length}`);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => run.appendOutput(t.replace(/\r?\n/g, '\r\n')));
    const code = await new Promise<number | null>((resolve) => {
      child.on('error', (e) => {
        run.appendOutput(`cannot start the ClawGym CLI: ${e.message}\r\n`);
        resolve(null);
      });
      child.on('close', resolve);
    });
    cancel.dispose();
    this.d.status.set(key, undefined);
    for (const i of items) {
      if (seen.has(i.id)) continue;
      if (token.isCancellationRequested) run.skipped(i);
      else run.errored(i, new vscode.TestMessage(`no result: the ClawGym CLI exited with ${code ?? 'an error'} (see the test output)`));
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, line: ResultLine, runDir: string): void {
    const trialDir = join(runDir, line.trial_dir);
    const verifyUri = vscode.Uri.file(trialFile(trialDir, 'verify'));
    run.appendOutput(`${line.task_id}: reward ${line.reward.toFixed(2)} — ${verifyUri.fsPath}\r\n`, undefined, item);
    if (line.passed) return run.passed(item, line.timings.total_ms);
    if (line.error) {
      const m = new vscode.TestMessage(`${line.error_kind ?? 'error'}: ${line.error}`);
      m.location = new vscode.Location(verifyUri, new vscode.Position(0, 0));
      m.contextValue = TRIAL_MESSAGE;
      return run.errored(item, m, line.timings.total_ms);
    }
    const v = readTrialVerify(trialDir);
    const checks = v ? failingChecks(v) : [];
    const messages = checks.length
      ? checks.map((c) => {
          const m = c.expected !== undefined && c.actual !== undefined ? vscode.TestMessage.diff(c.message, c.expected, c.actual) : new vscode.TestMessage(c.message);
          m.location = new vscode.Location(verifyUri, new vscode.Position(0, 0));
          m.contextValue = TRIAL_MESSAGE;
          return m;
        })
      : [Object.assign(new vscode.TestMessage(`reward ${line.reward.toFixed(2)} is below the pass threshold`), { location: new vscode.Location(verifyUri, new vscode.Position(0, 0)), contextValue: TRIAL_MESSAGE })];
    run.failed(item, messages, line.timings.total_ms);
  }

  dispose(): void {
    this.sub.dispose();
    this.controller.dispose();
  }
}
