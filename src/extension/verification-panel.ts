/**
 * The Verification view: one webview panel per task, on the shared panel host (ready handshake,
 * validated messages). File paths the webview names must stay inside the workspace.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { readTrialVerify } from '../core/runs/folder.js';
import { WebviewMessage, type HostMessage, type VerificationState } from '../protocol/verification.js';
import { settings } from './config.js';
import { readTaskRuns } from './model/review-data.js';
import { latestTrial, verificationState, type CheckNotes } from './model/verification.js';
import { PanelHost } from './panel-host.js';

/** What the task says about its checks now (tolerances, lines), and where its task.yaml is. */
export type TaskNotes = (taskId: string) => { notes: CheckNotes; taskFile?: string } | undefined;

export interface PanelActions {
  /** Re-verify a hand-edited folder (folder sources only). */
  reverify?(): Promise<VerificationState | undefined>;
}

/** When the trial in `trialDir` finished, from its run's results. */
function finishedAt(taskId: string, trialDir: string): string | undefined {
  for (const run of readTaskRuns(settings().runsDir, taskId)) {
    const line = run.lines.find((l) => resolve(run.runDir, l.trial_dir) === resolve(trialDir));
    if (line) return line.finished_at;
  }
  return undefined;
}

interface PanelEntry {
  host: PanelHost<HostMessage, WebviewMessage>;
  state: VerificationState;
  actions: PanelActions;
  /** When the trial shown finished (trial sources): newer ones replace it. */
  shownFinishedAt?: string;
}

export class VerificationPanels implements vscode.Disposable {
  private readonly panels = new Map<string, PanelEntry>();

  private notesOf: TaskNotes = () => undefined;
  private followSub: vscode.Disposable | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Annotate checks from the task (tolerance, task.yaml line), and follow the runs folder: a view
   * showing a trial switches to the newest trial of the same task when one finishes.
   */
  connect(notesOf: TaskNotes, runsChanged: vscode.Event<void>): void {
    this.notesOf = notesOf;
    this.followSub?.dispose();
    this.followSub = runsChanged(() => this.followNewRuns());
  }

  private annotate(state: VerificationState): VerificationState {
    const n = this.notesOf(state.taskId)?.notes;
    if (!n) return state;
    return {
      ...state,
      checks: state.checks.map((c) => {
        const tolerance = c.tolerance ?? n.tolerance?.get(c.id);
        const line = n.lines?.get(c.id);
        return { ...c, ...(tolerance ? { tolerance } : {}), ...(line ? { line } : {}) };
      }),
    };
  }

  private followNewRuns(): void {
    const runsDir = settings().runsDir;
    for (const entry of this.panels.values()) {
      const src = entry.state.source;
      if (src.kind !== 'trial') continue;
      const latest = latestTrial(readTaskRuns(runsDir, entry.state.taskId));
      if (!latest) continue;
      const trialDir = join(latest.run.runDir, latest.line.trial_dir);
      if (resolve(trialDir) === resolve(src.trialDir)) continue;
      // Only a trial that finished after the one shown (not an older run someone reopened).
      if (entry.shownFinishedAt && Date.parse(latest.line.finished_at) <= Date.parse(entry.shownFinishedAt)) continue;
      const v = readTrialVerify(trialDir);
      if (!v) continue;
      this.log.info(`verification of ${entry.state.taskId}: following the new run ${latest.run.runId}`);
      entry.state = this.annotate(verificationState(v, { kind: 'trial', runId: latest.run.runId, trialDir, agent: latest.line.agent, attempt: latest.line.attempt }, latest.line));
      entry.shownFinishedAt = latest.line.finished_at;
      this.post(entry, { type: 'state', state: entry.state });
    }
  }

  show(state: VerificationState, actions: PanelActions = {}): vscode.WebviewPanel {
    state = this.annotate(state);
    const shownFinishedAt = state.source.kind === 'trial' ? finishedAt(state.taskId, state.source.trialDir) ?? state.verifiedAt : undefined;
    const existing = this.panels.get(state.taskId);
    if (existing) {
      existing.state = state;
      existing.actions = actions;
      existing.shownFinishedAt = shownFinishedAt;
      existing.host.reveal(undefined, true);
      this.post(existing, { type: 'state', state });
      return existing.host.panel;
    }
    const entry = { state, actions, shownFinishedAt } as PanelEntry;
    entry.host = new PanelHost<HostMessage, WebviewMessage>(
      {
        extensionUri: this.extensionUri,
        log: this.log,
        viewType: 'clawgym.verification',
        title: `Verification: ${state.taskId}`,
        column: vscode.ViewColumn.Beside,
        preserveFocus: true,
        page: { name: 'verification', title: 'Verification', root: '<main id="app" aria-live="polite">' },
        messages: WebviewMessage,
        label: 'verification view',
      },
      {
        onReady: () => this.post(entry, { type: 'state', state: entry.state }),
        onMessage: (m) => this.onMessage(entry, m),
        onDispose: () => this.panels.delete(state.taskId),
      },
    );
    this.panels.set(state.taskId, entry);
    return entry.host.panel;
  }

  private async onMessage(entry: PanelEntry, msg: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    const root = entry.state.source.kind === 'trial' ? resolve(entry.state.source.trialDir, 'workspace') : entry.state.source.folder;
    switch (msg.type) {
      case 'openFile': {
        const target = resolve(root, msg.path);
        const rel = relative(root, target);
        if (rel.startsWith('..') || isAbsolute(rel)) return void this.log.warn(`verification view: refused to open ${msg.path} (outside the workspace)`);
        await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true, viewColumn: vscode.ViewColumn.One }).then(undefined, (e) => vscode.window.showWarningMessage(`ClawGym: cannot open ${msg.path}: ${e}`));
        return;
      }
      case 'revealFolder':
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(entry.state.source.kind === 'trial' ? entry.state.source.trialDir : root));
        return;
      case 'openCheck': {
        const file = this.notesOf(entry.state.taskId)?.taskFile;
        const line = entry.state.checks.find((c) => c.id === msg.id)?.line;
        if (!file) return;
        const at = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
        await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, at) });
        return;
      }
      case 'openTrajectory':
        if (entry.state.source.kind === 'trial') await vscode.commands.executeCommand('clawgym.openTrajectory', vscode.Uri.file(entry.state.source.trialDir));
        return;
      case 'reverify': {
        if (!entry.actions.reverify) return;
        this.post(entry, { type: 'busy', message: 'Verifying…' });
        try {
          const next = await entry.actions.reverify();
          if (next) {
            entry.state = this.annotate(next);
            this.post(entry, { type: 'state', state: entry.state });
          }
        } finally {
          this.post(entry, { type: 'busy', message: null });
        }
      }
    }
  }

  private post(entry: PanelEntry, m: HostMessage): void {
    entry.host.post(m);
  }

  dispose(): void {
    this.followSub?.dispose();
    for (const { host } of this.panels.values()) host.dispose();
    this.panels.clear();
  }
}
