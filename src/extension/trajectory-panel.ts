/**
 * The trajectory debugger: one webview panel per trajectory (a trial's trajectory.json, or any
 * ATIF file). The host keeps the state in the pure view model (model/trajectory-debugger.ts); the
 * webview renders a virtualized timeline and the selected step and sends intents; the shared panel
 * host validates them and answers the webview's ready handshake.
 * A trial still running is followed live from its events.jsonl until trajectory.json appears.
 * A step's diff is `vscode.diff` over two read-only snapshot documents (snapshotDocuments.ts).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { trialFile } from '../core/runs/folder.js';
import { WebviewMessage, type HostMessage } from '../protocol/trajectory.js';
import { settings } from './config.js';
import { JsonlTail } from './model/events-tail.js';
import { listRuns, listTrials } from './model/runs.js';
import { TrajectoryDebugger, trajectoryPathOf } from './model/trajectory-debugger.js';
import { eventsSummary, locateTrajectory, TRAJECTORY_FILE, readEvents, readSnapshots, readTrajectory, type TrajectoryLocation } from './model/trajectory-files.js';
import { SNAPSHOT_SCHEME, SnapshotDocuments, snapshotUri } from './snapshot-documents.js';
import { PanelHost } from './panel-host.js';

interface Entry {
  loc: TrajectoryLocation;
  host: PanelHost<HostMessage, WebviewMessage>;
  model: TrajectoryDebugger;
  /** Live: the events.jsonl tail, its poll timer and the lines not applied yet. */
  tail?: JsonlTail;
  timer?: NodeJS.Timeout;
  pending: unknown[];
  flushing: boolean;
  renderLogged: boolean;
}

const LIVE_POLL_MS = 250;

export class TrajectoryPanels implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Open (or reveal) the debugger on a trajectory file or a trial folder. */
  async open(path: string): Promise<void> {
    const loc = locateTrajectory(path);
    if (!loc) return void vscode.window.showWarningMessage(`ClawGym: ${path} is neither a trajectory (ATIF .json) nor a trial folder.`);
    const existing = this.entries.get(loc.trajectoryFile);
    if (existing) return existing.host.reveal();

    const read = readTrajectory(loc.trajectoryFile);
    if (!read.ok && !read.missing) return void vscode.window.showErrorMessage(`ClawGym: ${read.error}`);
    const model = new TrajectoryDebugger({ title: loc.title, source: loc.trialDir ?? loc.trajectoryFile, snapshotsAvailable: !!loc.snapshotsDir && existsSync(loc.snapshotsDir) });
    let tail: JsonlTail | undefined;
    const pending: unknown[] = [];
    if (read.ok) {
      const events = readEvents(loc.eventsFile);
      model.load({ trajectory: read.trajectory, events, snapshots: await readSnapshots(loc.snapshotsDir, events) });
    } else {
      const summary = eventsSummary(readEvents(loc.eventsFile));
      if (!loc.eventsFile || (summary.steps === 0 && summary.trialEnded)) {
        return void vscode.window.showWarningMessage(`ClawGym: ${loc.title} has no trajectory: its agent records none (the oracle, nop and command agents run without one).`);
      }
      // Running (or ended without writing trajectory.json): the steps come from events.jsonl.
      tail = new JsonlTail(loc.eventsFile, (v) => pending.push(v));
      await tail.poll();
      model.load({ trajectory: null, events: pending.splice(0) });
      model.setFollow(true);
    }

    const entry = { loc, model, tail, pending, flushing: false, renderLogged: false } as Entry;
    entry.host = new PanelHost<HostMessage, WebviewMessage>(
      {
        extensionUri: this.extensionUri,
        log: this.log,
        viewType: 'clawgym.trajectory',
        title: `Trajectory: ${loc.title}`,
        page: { name: 'trajectory', title: 'Trajectory', root: '<div id="app">' },
        messages: WebviewMessage,
        label: 'trajectory debugger',
      },
      {
        onReady: () => this.postInit(entry),
        onMessage: (m) => this.onMessage(entry, m),
        onDispose: () => {
          this.stopLive(entry);
          this.entries.delete(loc.trajectoryFile);
        },
      },
    );
    this.entries.set(loc.trajectoryFile, entry);
    const h = model.header();
    this.log.info(`trajectory ${loc.trajectoryFile}: ${h.steps} steps, ${model.rows.length} rows${h.live ? ' (live)' : ''}`);
    if (tail && model.live) entry.timer = setInterval(() => void this.flush(entry), LIVE_POLL_MS);
    else if (tail) await this.flush(entry); // ended without trajectory.json: maybe it is there now
  }

  private stopLive(e: Entry): void {
    clearInterval(e.timer);
    e.timer = undefined;
    e.tail = undefined;
  }

  /** Live: apply what events.jsonl gained; switch to trajectory.json once the trial wrote it. */
  private async flush(e: Entry): Promise<void> {
    if (e.flushing || !e.tail) return;
    e.flushing = true;
    try {
      await e.tail.poll();
      const m = e.model;
      const wasLive = m.live;
      const hadSnapshots = m.snapshotsAvailable;
      m.snapshotsAvailable = !!e.loc.snapshotsDir && existsSync(e.loc.snapshotsDir);
      const from = m.append(e.pending.splice(0));
      if (m.agentEnded || m.trialEnded) {
        const read = existsSync(e.loc.trajectoryFile) ? readTrajectory(e.loc.trajectoryFile) : undefined;
        if (read?.ok) {
          this.stopLive(e);
          const events = readEvents(e.loc.eventsFile);
          m.load({ trajectory: read.trajectory, events, snapshots: await readSnapshots(e.loc.snapshotsDir, events) });
          this.log.info(`trajectory ${e.loc.trajectoryFile}: the trial ended; showing trajectory.json (${m.steps.length} steps)`);
          this.postInit(e);
          return;
        }
        if (m.trialEnded) this.stopLive(e); // no trajectory.json: the events are all there is
      }
      if (from !== null || wasLive !== m.live || hadSnapshots !== m.snapshotsAvailable) {
        const start = from ?? m.rows.length;
        this.post(e, { type: 'rows', header: m.header(), from: start, rows: m.rows.slice(start) });
        this.postSelection(e);
      }
    } finally {
      e.flushing = false;
    }
  }

  private post(e: Entry, m: HostMessage): void {
    e.host.post(m);
  }

  private postInit(e: Entry): void {
    const m = e.model;
    this.post(e, { type: 'init', header: m.header(), rows: m.rows, selected: m.selected, follow: m.follow });
    this.postSelection(e);
  }

  private postSelection(e: Entry): void {
    const m = e.model;
    this.post(e, { type: 'selection', index: m.selected, follow: m.follow, detail: m.detail() });
  }

  private notice(e: Entry, text: string): void {
    this.post(e, { type: 'notice', text });
  }

  private async onMessage(e: Entry, msg: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    const m = e.model;
    switch (msg.type) {
      case 'select':
        m.select(msg.index);
        return this.postSelection(e);
      case 'navigate': {
        if (m.navigate(msg.action)) return this.postSelection(e);
        const why: Partial<Record<typeof msg.action, string>> = {
          firstFailure: 'No tool call failed in this trajectory.',
          nextFailure: 'No failing tool call after this one.',
          prevFailure: 'No failing tool call before this one.',
        };
        if (why[msg.action]) this.notice(e, why[msg.action]!);
        return;
      }
      case 'setFollow':
        m.setFollow(msg.follow);
        return this.postSelection(e);
      case 'lastTouch':
        if (m.lastTouch(msg.path, msg.before)) return this.postSelection(e);
        return this.notice(e, msg.before === undefined ? `No step changed ${msg.path}.` : `No earlier step changed ${msg.path}.`);
      case 'pickFile':
        return this.pickFile(e);
      case 'openDiff':
        return this.openDiff(e, msg.step, msg.path);
      case 'rendered':
        if (e.renderLogged) return;
        e.renderLogged = true;
        this.log.info(
          `trajectory first render: ${msg.ms.toFixed(1)} ms (${m.steps.length} steps, ${msg.rows} rows, ${msg.domRows} in the DOM; page load to first paint ${msg.pageMs.toFixed(0)} ms) — ${e.loc.title}`,
        );
    }
  }

  private async pickFile(e: Entry): Promise<void> {
    const m = e.model;
    const files = m.files();
    if (!files.length) return this.notice(e, 'No step of this trajectory changed a file.');
    const label = (i: number) => m.rows[m.rowOfStep(i) ?? 0]?.label ?? `${i}`;
    const pick = await vscode.window.showQuickPick(
      files.map((f) => ({ label: f.path, description: `last changed at ${label(f.steps.at(-1)!)} · changed in ${f.steps.length} step${f.steps.length === 1 ? '' : 's'}`, path: f.path })),
      { title: 'Jump to the step that last changed a file', placeHolder: 'File', matchOnDescription: false },
    );
    if (!pick) return;
    m.lastTouch(pick.path);
    this.postSelection(e);
    e.host.reveal(undefined, false);
  }

  private async openDiff(e: Entry, step: number, path: string): Promise<void> {
    const m = e.model;
    const t = m.diffTarget(step);
    if (!t.changed.includes(path)) return this.notice(e, `That step did not change ${path}.`);
    const gitDir = e.loc.snapshotsDir;
    if (!gitDir || !existsSync(gitDir)) return this.notice(e, 'The workspace snapshots are not in the trial folder (yet).');
    const label = m.rows[m.rowOfStep(step) ?? 0]?.label ?? `step ${step}`;
    const left = snapshotUri(gitDir, t.before, path, 'before');
    const right = snapshotUri(gitDir, t.after, path, 'after');
    this.log.info(`trajectory diff ${path} at ${label}: ${t.before?.slice(0, 8) ?? '(none)'}..${t.after?.slice(0, 8) ?? '(none)'}`);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${path} (${label} before ↔ after)`, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    for (const e of this.entries.values()) {
      this.stopLive(e);
      e.host.dispose();
    }
    this.entries.clear();
  }
}

/** Trials under the runs folder that have a trajectory, or events of a running agent. */
function trialPicks(): Array<vscode.QuickPickItem & { path?: string }> {
  const items: Array<vscode.QuickPickItem & { path?: string }> = [];
  for (const run of listRuns(settings().runsDir)) {
    for (const t of listTrials(run.dir)) {
      const live = t.state === 'running';
      if (!existsSync(trialFile(t.dir, 'trajectory')) && !(live && existsSync(trialFile(t.dir, 'events')))) continue;
      items.push({ label: `${t.taskId} #${t.attempt}`, description: `${run.runId} · ${run.agent} · ${live ? 'running' : t.state}`, path: t.dir });
    }
  }
  return items;
}

/** The debugger's panels, the snapshot documents and the Open Trajectory command. */
export function registerTrajectoryDebugger(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, trialOfTest?: (testId: string) => string | undefined): vscode.Disposable[] {
  const panels = new TrajectoryPanels(context.extensionUri, log);
  const open = async (arg?: unknown): Promise<void> => {
    let path = trajectoryPathOf(arg, trialOfTest);
    if (!path && arg === undefined) {
      const doc = vscode.window.activeTextEditor?.document;
      const named = doc && TRAJECTORY_FILE.test(basename(doc.fileName));
      if (doc?.uri.scheme === 'file' && (named || (/\.json$/.test(doc.fileName) && /"schema_version"\s*:\s*"ATIF-/.test(doc.getText(new vscode.Range(0, 0, 40, 0)))))) path = doc.uri.fsPath;
    }
    if (!path) {
      const browse = { label: '$(folder-opened) Browse…', description: 'a trajectory .json file' };
      const pick = await vscode.window.showQuickPick([...trialPicks(), browse], { placeHolder: 'Trajectory to open (trials with a trajectory, newest runs first)', matchOnDescription: true });
      if (!pick) return;
      if (pick === browse) path = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'ATIF trajectory': ['json'] }, openLabel: 'Open Trajectory' }))?.[0]?.fsPath;
      else path = (pick as { path?: string }).path;
    }
    if (path) await panels.open(path);
  };
  return [
    panels,
    vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, new SnapshotDocuments(log)),
    vscode.commands.registerCommand('clawgym.openTrajectory', open),
  ];
}
