/**
 * A run's report and two runs side by side, inside the editor (a browser-hosted VS Code cannot
 * open a file: URI outside it). Open Run Report shows the run's self-contained report.html in a
 * static panel (scripts off, a CSP that loads nothing; its SVG charts are inline); a run still
 * going, with no report yet, gets one rendered from its results so far. Compare works like the
 * Explorer's file compare: Select for Compare on one run, Compare with Selected on another (or
 * Compare Runs… from the palette, which asks for both); the panel shows core's comparison, the
 * same numbers `clawgym compare` prints.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors.js';
import { compareRunFolders } from '../core/runs/compare.js';
import { readRunFolder, runPaths } from '../core/runs/folder.js';
import { buildReport } from '../core/runs/report.js';
import { renderReportHtml } from '../core/runs/report-html.js';
import { WebviewMessage, type HostMessage } from '../protocol/compare.js';
import { baseFolder, settings } from './config.js';
import { compareState } from './model/compare-view.js';
import { listRuns, listTrials, type RunInfo } from './model/runs.js';
import { PanelHost, StaticPanel } from './panel-host.js';
import type { RunTreeNode, RunsView } from './views/runs-view.js';

const SELECTED_KEY = 'clawgym.compareSelected';

type RunNode = Extract<RunTreeNode, { kind: 'run' }>;
const runOf = (node: unknown): RunInfo | undefined => ((node as RunTreeNode | undefined)?.kind === 'run' ? (node as RunNode).run : undefined);

function where(dir: string): string {
  const rel = relative(baseFolder(), dir);
  return rel && !rel.startsWith('..') ? rel : dir;
}

async function pickRun(placeHolder: string, except?: string): Promise<RunInfo | undefined> {
  const runs = listRuns(settings().runsDir).filter((r) => r.dir !== except);
  if (!runs.length) {
    void vscode.window.showInformationMessage(`ClawGym: no${except ? ' other' : ''} runs in ${where(settings().runsDir)}.`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.runId, description: `${r.agent} · ${r.passed}/${r.finished} passed`, detail: where(r.dir), run: r })),
    { placeHolder, matchOnDescription: true },
  );
  return pick?.run;
}

export interface RunReportsDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  runsView: RunsView;
}

export class RunReports implements vscode.Disposable {
  private readonly reports = new Map<string, StaticPanel>();
  private readonly compares = new Map<string, { host: PanelHost<HostMessage, WebviewMessage>; a: string; b: string }>();
  private selected: RunInfo | undefined;

  constructor(private readonly d: RunReportsDeps) {}

  /** Show a run's report.html (or, before the run wrote it, a report of its results so far). */
  openReport(run: RunInfo): void {
    const file = runPaths(run.dir).reportHtml;
    let doc: string;
    let partial = false;
    try {
      if (existsSync(file)) doc = readFileSync(file, 'utf8');
      else {
        const folder = readRunFolder(run.dir);
        doc = renderReportHtml(buildReport(folder.manifest, folder.results));
        partial = true;
      }
    } catch (e) {
      return void vscode.window.showErrorMessage(`ClawGym: cannot show the report of ${run.runId}: ${errorMessage(e)}`);
    }
    const title = `Report: ${run.runId}${partial ? ' (so far)' : ''}`;
    let panel = this.reports.get(run.dir);
    if (!panel) {
      panel = new StaticPanel({ extensionUri: this.d.extensionUri, log: this.d.log, viewType: 'clawgym.report', title }, () => this.reports.delete(run.dir));
      this.reports.set(run.dir, panel);
    }
    panel.panel.title = title;
    panel.show(doc);
    panel.reveal();
    this.d.log.info(`report of ${run.runId}: ${partial ? 'rendered from its results (no report.html yet)' : file}`);
  }

  select(run: RunInfo): void {
    this.selected = run;
    void vscode.commands.executeCommand('setContext', SELECTED_KEY, run.dir);
    void vscode.window.setStatusBarMessage(`ClawGym: ${run.runId} selected for compare`, 4000);
  }

  get selectedRun(): RunInfo | undefined {
    return this.selected && existsSync(this.selected.dir) ? this.selected : undefined;
  }

  /** A side-by-side comparison panel of run A (before) and run B (after). */
  compare(a: RunInfo, b: RunInfo): void {
    const key = `${a.dir}\n${b.dir}`;
    const open = this.compares.get(key);
    if (open) {
      this.postCompare(open);
      return open.host.reveal();
    }
    const entry = { a: a.dir, b: b.dir } as { host: PanelHost<HostMessage, WebviewMessage>; a: string; b: string };
    entry.host = new PanelHost<HostMessage, WebviewMessage>(
      {
        extensionUri: this.d.extensionUri,
        log: this.d.log,
        viewType: 'clawgym.compare',
        title: `Compare: ${a.runId} ↔ ${b.runId}`,
        page: { name: 'compare', title: 'Run comparison', root: '<main id="app">' },
        messages: WebviewMessage,
        label: 'compare view',
      },
      {
        onReady: () => this.postCompare(entry),
        onMessage: async (m) => {
          if (m.type === 'swap') {
            [entry.a, entry.b] = [entry.b, entry.a];
            this.postCompare(entry);
            return;
          }
          const dir = m.side === 'a' ? entry.a : entry.b;
          const run = listRuns(settings().runsDir).find((r) => r.dir === dir);
          const trial = listTrials(dir).filter((t) => t.taskId === m.taskId && t.line).at(-1);
          if (!run || !trial) return entry.host.post({ type: 'notice', text: `No finished trial of ${m.taskId} in that run.` });
          await vscode.commands.executeCommand('clawgym.showVerification', { kind: 'trial', run, trial } satisfies RunTreeNode);
        },
        onDispose: () => this.compares.delete(key),
      },
    );
    this.compares.set(key, entry);
    this.d.log.info(`compare ${a.runId} ↔ ${b.runId}`);
  }

  private postCompare(entry: { host: PanelHost<HostMessage, WebviewMessage>; a: string; b: string }): void {
    try {
      const cmp = compareRunFolders(entry.a, entry.b);
      const info = (dir: string) => {
        const m = readRunFolder(dir).manifest;
        return { location: where(dir), createdAt: m.created_at };
      };
      const state = compareState(cmp, info(entry.a), info(entry.b));
      entry.host.panel.title = `Compare: ${state.a.runId} ↔ ${state.b.runId}`;
      entry.host.post({ type: 'state', state });
    } catch (e) {
      this.d.log.error(`compare: ${errorMessage(e)}`);
      entry.host.post({ type: 'notice', text: `Cannot compare: ${errorMessage(e)}` });
    }
  }

  dispose(): void {
    for (const p of this.reports.values()) p.dispose();
    for (const c of this.compares.values()) c.host.dispose();
    this.reports.clear();
    this.compares.clear();
  }
}

/** Open Run Report, Select for Compare, Compare with Selected, Compare Runs…. */
export function registerRunReports(d: RunReportsDeps): vscode.Disposable[] {
  const reports = new RunReports(d);
  const reg = vscode.commands.registerCommand;
  void vscode.commands.executeCommand('setContext', SELECTED_KEY, undefined);
  return [
    reports,
    reg('clawgym.openReport', async (node?: unknown) => {
      const run = runOf(node) ?? (await pickRun('Run whose report to open'));
      if (run) reports.openReport(run);
    }),
    reg('clawgym.selectForCompare', (node?: unknown) => {
      const run = runOf(node);
      if (run) reports.select(run);
    }),
    reg('clawgym.compareWithSelected', async (node?: unknown) => {
      const b = runOf(node);
      const a = reports.selectedRun;
      if (!b) return;
      if (!a) return void vscode.window.showInformationMessage('ClawGym: select a run for compare first (Select for Compare on a run).');
      if (a.dir === b.dir) return void vscode.window.showInformationMessage('ClawGym: that is the run selected for compare; pick another.');
      reports.compare(a, b);
    }),
    reg('clawgym.compareRuns', async (node?: unknown) => {
      const a = runOf(node) ?? (await pickRun('Run A (before)'));
      if (!a) return;
      const b = await pickRun(`Compare ${a.runId} with run B (after)`, a.dir);
      if (b) reports.compare(a, b);
    }),
  ];
}
