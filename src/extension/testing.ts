/**
 * Test Explorer: tasks as test items (pool → category → task), run profiles Oracle (default),
 * Nop and Agent. A run is one `clawgym run --json` child process over the chosen tasks; its JSON
 * lines drive the items, and a failure shows the failing checks (expected vs actual) as messages
 * that link to the check's line in task.yaml. Oracle and nop are judged as sanity agents (a nop
 * scoring 0 passes); each item's description says whether the task is sound. A task that does not
 * load stays as an item with its error.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SourcePosition } from '../core/errors.js';
import { findOpenclaw, OPENCLAW_VERSION } from '../core/agents/openclaw/install.js';
import { newRunId, readTrialVerify, trialFile } from '../core/runs/folder.js';
import { shellLine } from '../core/shell.js';
import { ResultLine } from '../core/runs/records.js';
import { isSanityAgent, sanityOutcome } from '../core/runs/sanity.js';
import { checkPositions } from '../core/task/native.js';
import { baseFolder, settings } from './config.js';
import { runArgv, setupOpenclawArgv, type CliLocation } from './model/cli.js';
import { buildTaskTree, difficultyLabel, isBroken, problemLabel, taskFileOf, type TaskEntry } from './model/task-tree.js';
import { failingChecks } from './model/verification.js';
import type { SoundnessState } from './soundness-state.js';
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
  sound: SoundnessState;
}

/** A 1-based source position as a VS Code location. */
export function locationOf(p: SourcePosition): vscode.Location {
  return new vscode.Location(vscode.Uri.file(p.file), new vscode.Position(Math.max(0, (p.line ?? 1) - 1), Math.max(0, (p.column ?? 1) - 1)));
}

/** Where each check of a native task is written (empty for other formats or an unreadable file). */
export function checkLocations(t: Pick<TaskEntry, 'format' | 'source'>): Map<string, SourcePosition> {
  if (t.format !== 'native') return new Map();
  const file = taskFileOf(t);
  try {
    return checkPositions(readFileSync(file, 'utf8'), file);
  } catch {
    return new Map();
  }
}

/**
 * Test messages about a trial: located at its verify.json, they offer Open Trajectory
 * (`testing/message/context` and `testing/message/content` menus, `testMessage == clawgym.trial`).
 */
const TRIAL_MESSAGE = 'clawgym.trial';

export class TaskTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('clawgym', 'ClawGym');
  private readonly byItemId = new Map<string, TaskEntry>();
  private readonly lastTrial = new Map<string, string>();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly d: TestingDeps) {
    this.controller.refreshHandler = async () => d.index.reload();
    const profile = (label: string, agent: string, isDefault: boolean) =>
      this.controller.createRunProfile(label, vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token, agent), isDefault);
    profile('Oracle', 'oracle', true);
    profile('Nop', 'nop', false);
    profile('Agent', 'agent', false);
    profile('OpenClaw', 'openclaw', false);
    this.subs = [d.index.onDidChange(() => this.rebuild()), d.sound.onDidChange(() => this.describeAll())];
    this.rebuild();
  }

  /** The item's description: sound state and difficulty ("sound · easy"). */
  private describe(item: vscode.TestItem, t: TaskEntry): void {
    if (isBroken(t)) {
      item.description = `${t.problems.length} problem${t.problems.length === 1 ? '' : 's'}`;
      return;
    }
    const v = this.d.sound.of(t.key);
    item.description = [v?.state, difficultyLabel(t.difficulty)].filter(Boolean).join(' · ') || undefined;
    item.sortText = t.id;
  }

  private describeAll(): void {
    const walk = (i: vscode.TestItem) => {
      const t = this.byItemId.get(i.id);
      if (t) this.describe(i, t);
      i.children.forEach(walk);
    };
    this.controller.items.forEach(walk);
  }

  /** Mirror the task index; item ids are stable (pool root + id) so results survive a reload. */
  private rebuild(): void {
    this.byItemId.clear();
    const pools = buildTaskTree(this.d.index.allEntries(), this.d.index.taskRoots);
    const top: vscode.TestItem[] = [];
    for (const pool of pools) {
      const p = this.controller.createTestItem(`pool:${pool.key}`, pool.name, vscode.Uri.file(pool.root));
      for (const cat of pool.categories) {
        const c = this.controller.createTestItem(`cat:${cat.key}`, cat.name);
        for (const t of cat.tasks) {
          const first = t.problems[0];
          const item = this.controller.createTestItem(`task:${t.key}`, t.id, vscode.Uri.file(first?.file ?? taskFileOf(t)));
          this.describe(item, t);
          item.tags = [new vscode.TestTag(t.format)];
          if (first) {
            // The Test Explorer's own error state: shown on the item, its problems with positions.
            const md = new vscode.MarkdownString();
            md.appendText(`${t.id} does not load:\n`);
            for (const p of t.problems) md.appendText(`• ${problemLabel(p)}\n`);
            item.error = md;
            if (first.line) item.range = locationOf(first).range;
          }
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
    const all = this.leaves(req);
    const run = this.controller.createTestRun(req, `ClawGym ${agent}`, true);
    // A task that does not load cannot run: say why, at its problems, and run the others.
    const items: vscode.TestItem[] = [];
    for (const i of all) {
      const t = this.byItemId.get(i.id)!;
      if (!isBroken(t)) {
        items.push(i);
        run.enqueued(i);
        continue;
      }
      run.errored(
        i,
        t.problems.map((p) => Object.assign(new vscode.TestMessage(`${t.id} does not load, so it cannot run: ${p.message}`), { location: locationOf(p) })),
      );
    }
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
          this.report(run, item, line.data, runDir, agent);
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

  private report(run: vscode.TestRun, item: vscode.TestItem, line: ResultLine, runDir: string, agent: string): void {
    const trialDir = join(runDir, line.trial_dir);
    const verifyUri = vscode.Uri.file(trialFile(trialDir, 'verify'));
    const task = this.byItemId.get(item.id)!;
    this.lastTrial.set(item.id, trialDir);
    run.appendOutput(`${line.task_id}: reward ${line.reward.toFixed(2)} — ${verifyUri.fsPath}\r\n`, undefined, item);
    // Messages point at the check's line in task.yaml (else the task file, else verify.json).
    const checksAt = checkLocations(task);
    const fallback = task.format === 'native' || task.format === 'clawgym' ? new vscode.Location(vscode.Uri.file(taskFileOf(task)), new vscode.Position(0, 0)) : new vscode.Location(verifyUri, new vscode.Position(0, 0));
    const at = (checkId?: string) => {
      const p = checkId ? checksAt.get(checkId) : undefined;
      return p ? locationOf(p) : fallback;
    };
    const message = (text: string, checkId?: string, expected?: string, actual?: string) => {
      const m = expected !== undefined && actual !== undefined ? vscode.TestMessage.diff(text, expected, actual) : new vscode.TestMessage(text);
      m.location = at(checkId);
      m.contextValue = TRIAL_MESSAGE;
      return m;
    };
    if (isSanityAgent(agent)) {
      // Sanity agents are judged by what a sound task gives them: nop's goal is 0.
      const o = sanityOutcome(agent, line);
      run.appendOutput(`${line.task_id}: ${o.message}\r\n`, undefined, item);
      if (o.state === 'passed') return run.passed(item, line.timings.total_ms);
      if (o.state === 'errored') return run.errored(item, message(o.message), line.timings.total_ms);
      if (agent === 'nop') {
        // What the untouched workspace already satisfies: the checks nop passed.
        const v = readTrialVerify(trialDir);
        const passing = (v?.code.checks ?? []).filter((c) => c.passed && c.weight > 0);
        const msgs = passing.length ? passing.map((c) => message(`${c.id} already passes in the untouched workspace (${o.message})`, c.id)) : [message(o.message)];
        return run.failed(item, msgs, line.timings.total_ms);
      }
    } else if (line.passed) return run.passed(item, line.timings.total_ms);
    if (line.error) return run.errored(item, message(`${line.error_kind ?? 'error'}: ${line.error}`), line.timings.total_ms);
    const v = readTrialVerify(trialDir);
    const checks = v ? failingChecks(v) : [];
    const messages = checks.length ? checks.map((c) => message(c.message, c.id, c.expected, c.actual)) : [message(`reward ${line.reward.toFixed(2)} is below the pass threshold`)];
    run.failed(item, messages, line.timings.total_ms);
  }

  /** The trial a test item last ran in (Open Trajectory from its messages). */
  trialOf(testId: string): string | undefined {
    return this.lastTrial.get(testId);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.controller.dispose();
  }
}
