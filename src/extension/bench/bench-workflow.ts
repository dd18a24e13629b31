/**
 * The bench workflow of the Bench view: Build Bench runs `clawgym bench build` (it runs the nop
 * and oracle agents, so it goes through the CLI, in a child process, with its steps as progress
 * and Cancel as Ctrl-C — a build interrupted resumes where it stopped); Check Bench runs core's
 * `bench check` and reports every difference in the Problems panel (bench.yaml's entry of a changed
 * or missing task; the file and line:column of a folder that does not load) and at the top of the
 * Bench view; Calibrate Bench computes core's calibration from reference runs and opens its HTML
 * report in a static webview.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { calibrate } from '../../core/bench/calibrate.js';
import { renderCalibrationHtml } from '../../core/bench/calibrate-html.js';
import { checkBench, type BenchCheck } from '../../core/bench/check.js';
import { BENCH_FILE, readManifest } from '../../core/bench/manifest.js';
import { errorMessage } from '../../core/errors.js';
import { readRunFolder } from '../../core/runs/folder.js';
import { runCli } from '../cli-process.js';
import { baseFolder, settings } from '../config.js';
import { benchBuildArgv, benchProblems, benchSummary, buildProgress, manifestProblem, poolRoots, type BenchProblem } from '../model/bench.js';
import type { CliLocation } from '../model/cli.js';
import { listRuns } from '../model/runs.js';
import { StaticPanel } from '../panel-host.js';
import type { TaskIndex } from '../task-index.js';
import type { ExtraNode, TasksView } from '../views/tasks-view.js';

export interface BenchDeps {
  extensionUri: vscode.Uri;
  index: TaskIndex;
  benchView: TasksView;
  log: vscode.LogOutputChannel;
  cli: () => CliLocation;
  env: () => Promise<Record<string, string>>;
  requireTrust(): boolean;
}

/** Where the calibration report goes: the bench's work folder (task loaders skip it). */
const CALIBRATION_HTML = join('.bench', 'calibration.html');

function benchDir(): string {
  const c = vscode.workspace.getConfiguration('clawgym');
  const d = c.get<string>('benchDirectory', 'bench') || 'bench';
  return isAbsolute(d) ? d : resolve(baseFolder(), d);
}

const rel = (p: string) => {
  const r = relative(baseFolder(), p);
  return r && !r.startsWith('..') ? r : p;
};

type State = { kind: 'none' } | { kind: 'checked'; check: BenchCheck; problems: BenchProblem[] } | { kind: 'unreadable'; message: string };

export class BenchWorkflow implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('clawgym-bench');
  private state: State = { kind: 'none' };
  private report: StaticPanel | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly d: BenchDeps) {
    d.benchView.setHeader(() => this.header());
    // A bench already there is checked once the window opens (cheap: hashes, no agent).
    if (existsSync(join(benchDir(), BENCH_FILE))) void this.check(false);
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('clawgym.benchDirectory')) void this.check(false);
      }),
    );
  }

  /** The Bench view's rows above the pools: the built bench, its verdict, its differences. */
  private header(): ExtraNode[] {
    const dir = benchDir();
    const manifest = join(dir, BENCH_FILE);
    if (!existsSync(manifest)) return [];
    const s = this.state;
    const problemNode = (p: BenchProblem): ExtraNode => ({
      children: () => [],
      item: () => {
        const item = new vscode.TreeItem(p.taskId ?? rel(p.file), vscode.TreeItemCollapsibleState.None);
        item.description = `${p.kind} · ${rel(p.file)}:${p.line}:${p.column}`;
        item.tooltip = p.message;
        item.iconPath = new vscode.ThemeIcon(p.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(p.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
        item.contextValue = 'benchProblem';
        const at = new vscode.Range(p.line - 1, p.column - 1, p.line - 1, p.column - 1);
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(p.file), { selection: at, preview: true }] };
        return item;
      },
    });
    return [
      {
        children: () => (s.kind === 'checked' ? s.problems.map(problemNode) : []),
        item: () => {
          const problems = s.kind === 'checked' ? s.problems.length : 0;
          const item = new vscode.TreeItem(`${rel(dir)}`, problems ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
          item.id = 'bench:manifest';
          if (s.kind === 'checked') {
            const sum = benchSummary(s.check);
            item.description = sum.label;
            item.iconPath = new vscode.ThemeIcon(sum.ok ? 'pass' : 'error', new vscode.ThemeColor(sum.ok ? 'testing.iconPassed' : 'testing.iconFailed'));
          } else if (s.kind === 'unreadable') {
            item.description = 'bench.yaml cannot be read';
            item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
          } else {
            item.description = 'not checked yet';
            item.iconPath = new vscode.ThemeIcon('package');
          }
          item.tooltip = `${manifest}\n${s.kind === 'checked' ? benchSummary(s.check).label : s.kind === 'unreadable' ? s.message : 'Check Bench compares every task with bench.yaml'}`;
          item.contextValue = 'bench';
          item.command = { command: 'vscode.open', title: 'Open bench.yaml', arguments: [vscode.Uri.file(manifest), { preview: true }] };
          return item;
        },
      },
    ];
  }

  private publish(problems: BenchProblem[]): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, Math.max(p.endColumn - 1, p.column - 1));
      const diag = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diag.source = 'clawgym bench check';
      diag.code = p.kind;
      byFile.set(p.file, [...(byFile.get(p.file) ?? []), diag]);
    }
    for (const [file, diags] of byFile) this.diagnostics.set(vscode.Uri.file(file), diags);
  }

  /** `bench check`: the verdict in the Bench view, every difference in the Problems panel. */
  async check(announce = true): Promise<BenchCheck | undefined> {
    const dir = benchDir();
    const manifest = join(dir, BENCH_FILE);
    if (!existsSync(manifest)) {
      this.state = { kind: 'none' };
      this.publish([]);
      this.d.benchView.refresh();
      if (announce) void vscode.window.showInformationMessage(`ClawGym: no bench in ${rel(dir)} (no ${BENCH_FILE}). Build one with ClawGym: Build Bench.`);
      return undefined;
    }
    try {
      const check = await checkBench(dir);
      const problems = benchProblems(check, readFileSync(manifest, 'utf8'));
      this.state = { kind: 'checked', check, problems };
      this.publish(problems);
      const sum = benchSummary(check);
      this.d.log.info(`bench check ${dir}: ${sum.label}`);
      for (const p of problems) this.d.log.info(`  ${rel(p.file)}:${p.line}:${p.column}: ${p.message}`);
      if (announce) {
        if (sum.ok) void vscode.window.showInformationMessage(`ClawGym: the bench ${sum.label}.`);
        else void vscode.window.showWarningMessage(`ClawGym: the bench ${sum.label}.`, 'Show Problems').then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
      }
      return check;
    } catch (e) {
      const message = errorMessage(e);
      this.state = { kind: 'unreadable', message };
      this.publish([manifestProblem(manifest, message)]);
      this.d.log.error(`bench check ${dir}: ${message}`);
      if (announce) void vscode.window.showErrorMessage(`ClawGym: ${message}`);
      return undefined;
    } finally {
      this.d.benchView.refresh();
    }
  }

  /** `bench build` from the task roots into the bench folder, then a check. */
  async build(): Promise<void> {
    if (!this.d.requireTrust()) return;
    await this.d.index.ready();
    const out = benchDir();
    const from = poolRoots(this.d.index.taskRoots, out);
    if (!from.length) return void vscode.window.showInformationMessage('ClawGym: no task pool to build a bench from. Set clawgym.taskRoots or open a folder with tasks.');
    const size = await vscode.window.showInputBox({
      title: `Build a bench in ${rel(out)}`,
      prompt: `From ${from.map(rel).join(', ')}. Tasks in the bench (empty: every task that meets the requirements)`,
      placeHolder: 'every qualifying task',
      validateInput: (v) => (v.trim() === '' || /^[1-9]\d*$/.test(v.trim()) ? undefined : 'a whole number ≥ 1, or empty'),
    });
    if (size === undefined) return;
    const c = vscode.workspace.getConfiguration('clawgym');
    const s = settings();
    const argv = benchBuildArgv(this.d.cli(), {
      from,
      out,
      size: size.trim() ? Number(size.trim()) : undefined,
      require: c.get<string>('benchRequire', 'oracle-pass,nop-zero') || 'oracle-pass,nop-zero',
      sandbox: s.sandbox,
      concurrency: s.concurrency,
    });
    this.d.log.info(`bench build: ${argv.join(' ')}`);
    const env = await this.d.env();
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `ClawGym: building the bench in ${rel(out)}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        // Like Ctrl-C in a terminal: the build stops its runs and can be resumed.
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          const res = await runCli(argv, env, {
            signal: abort.signal,
            onStderrLine: (line) => {
              this.d.log.info(`bench build: ${line}`);
              const step = buildProgress(line);
              if (step) progress.report({ message: `${step.step}: ${step.tasks} task(s)…` });
            },
          });
          return { ...res, cancelled: abort.signal.aborted };
        } finally {
          sub.dispose();
        }
      },
    );
    for (const line of r.stdout.trim().split('\n').filter(Boolean)) this.d.log.info(`bench build: ${line}`);
    if (r.cancelled) {
      void vscode.window.showWarningMessage('ClawGym: bench build cancelled. Build Bench again to continue where it stopped.');
      return;
    }
    if (r.code !== 0) {
      const last = r.stderr.trim().split('\n').filter((l) => !buildProgress(l)).at(-1) ?? `exit ${r.code}`;
      void vscode.window.showErrorMessage(`ClawGym: bench build failed: ${last}`, 'Show Output').then((c) => c && this.d.log.show());
      return;
    }
    const manifest = await readManifest(out).catch(() => undefined);
    const check = await this.check(false);
    const head = r.stdout.trim().split('\n')[0] ?? '';
    const verdict = check ? benchSummary(check).label : 'not checked';
    void vscode.window
      .showInformationMessage(`ClawGym: bench built — ${manifest ? `${manifest.tasks.length} task(s) in ${rel(join(out, BENCH_FILE))}` : head}; ${verdict}.`, 'Open bench.yaml')
      .then((choice) => choice && vscode.window.showTextDocument(vscode.Uri.file(join(out, BENCH_FILE))));
  }

  /** Calibration from reference runs: solve rates, bands, discrimination; its HTML report in a webview. */
  async calibrate(): Promise<void> {
    const dir = benchDir();
    let manifest;
    try {
      manifest = await readManifest(dir);
    } catch (e) {
      return void vscode.window.showWarningMessage(`ClawGym: ${errorMessage(e)}`);
    }
    const ids = new Set(manifest.tasks.map((t) => t.id));
    const runs = listRuns(settings().runsDir);
    const items = runs.map((r) => ({ label: r.runId, description: `${r.agent} · ${r.passed}/${r.finished} passed`, picked: false, run: r }));
    if (!items.length) return void vscode.window.showInformationMessage('ClawGym: no runs to calibrate with. Run agents on the bench first (one run per agent).');
    const picks = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: `Reference runs on ${rel(dir)} (one per agent)`, matchOnDescription: true });
    if (!picks?.length) return;
    try {
      const folders = picks.map((p) => readRunFolder(p.run.dir));
      const c = calibrate(dir, manifest, folders);
      const html = renderCalibrationHtml(c);
      const file = join(dir, CALIBRATION_HTML);
      await mkdir(join(dir, '.bench'), { recursive: true });
      await writeFile(file, html);
      const off = folders.flatMap((f) => f.results.map((l) => l.task_id)).filter((id) => !ids.has(id));
      this.d.log.info(`bench calibrate ${dir}: ${picks.length} run(s); report ${file}${off.length ? ` (${new Set(off).size} task(s) of the runs are not in the bench)` : ''}`);
      this.report ??= new StaticPanel({ extensionUri: this.d.extensionUri, log: this.d.log, viewType: 'clawgym.calibration', title: 'Bench calibration' }, () => (this.report = undefined));
      this.report.show(html);
      this.report.reveal();
    } catch (e) {
      void vscode.window.showErrorMessage(`ClawGym: calibration failed: ${errorMessage(e)}`);
    }
  }

  dispose(): void {
    this.report?.dispose();
    this.diagnostics.dispose();
    for (const s of this.subs) s.dispose();
  }
}

/** Build Bench, Check Bench, Calibrate Bench (Bench view title and the palette). */
export function registerBench(d: BenchDeps): vscode.Disposable[] {
  const bench = new BenchWorkflow(d);
  const reg = vscode.commands.registerCommand;
  return [bench, reg('clawgym.buildBench', () => bench.build()), reg('clawgym.checkBench', () => bench.check(true)), reg('clawgym.calibrateBench', () => bench.calibrate())];
}
