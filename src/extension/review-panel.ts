/**
 * Task Review: one webview panel per task under review (ClawGym: Review Tasks, or a task's
 * context menu). It shows the instruction, the workspace files, the checks and rubric, and the
 * latest oracle / nop / model results side by side; it writes accept / reject / needs-edit with a
 * note into task.yaml's review block (core writer: atomic, refused when the file changed on disk
 * since the panel read it); it steps through the review queue; and it runs the oracle or nop in
 * the terminal like Run Agent on Task, refreshing the results when the run ends.
 *
 * The shared panel host answers the webview's ready handshake and validates what it sends; the
 * webview can open only files of the task's own workspace listing.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors.js';
import { readTrialVerify, runPaths } from '../core/runs/folder.js';
import { readResults } from '../core/runs/store.js';
import { reviewFileOf, StaleFileError, writeReview } from '../core/task/review.js';
import type { ReviewStatus } from '../core/task/schema.js';
import { hasSolution, type Task } from '../core/task/task.js';
import { AGENT_KINDS, WebviewMessage, type AgentKind, type HostMessage, type PanelAgent, type ReviewDecision, type ReviewState } from '../protocol/review.js';
import { offerNativeConversion } from './authoring/authoring.js';
import { confirmAccept, explainBroken } from './commands.js';
import { baseFolder, settings } from './config.js';
import { latestRunsByKind, pinStatuses, queueStep, queueView, reviewQueue, reviewState, type ReviewInputs, type SelectedRun, type TaskChanges } from './model/review.js';
import { listWorkspace, readNativeTask, readTaskRuns, taskChanges, type WorkspaceListing } from './model/review-data.js';
import type { TaskEntry } from './model/task-tree.js';
import { verificationState } from './model/verification.js';
import { PanelHost } from './panel-host.js';
import type { TaskIndex } from './task-index.js';
import type { TrialOutcome } from './terminal-run.js';
import type { VerificationPanels } from './verification-panel.js';

export interface ReviewDeps {
  extensionUri: vscode.Uri;
  index: TaskIndex;
  log: vscode.LogOutputChannel;
  verification: VerificationPanels;
  /** Run a sanity agent on the task in the terminal (the Run Agent on Task path). */
  run(task: TaskEntry, agent: PanelAgent): Promise<TrialOutcome | undefined>;
  /** Workspace Trust gate (says why when it refuses). */
  requireTrust(): boolean;
}

/** What the panel read from disk for its task; kept until the reviewer reloads. */
interface Snapshot {
  task: Task;
  /** task.yaml (native tasks), and its text as read: a write is refused if the file differs. */
  file: string | undefined;
  text: string | undefined;
  workspace: WorkspaceListing;
  changes: TaskChanges;
  loadError: string | null;
}

interface Panel {
  host: PanelHost<HostMessage, WebviewMessage>;
  entry: TaskEntry;
  snap: Snapshot;
  /** The task's index in the queue when last seen (its place if it leaves the queue). */
  hint: number | undefined;
  stale: string | null;
  running: PanelAgent | null;
  writing: boolean;
  watcher: vscode.Disposable | undefined;
  runs: Record<AgentKind, SelectedRun | undefined>;
}

const STALE_MESSAGE = 'task.yaml changed on disk since this panel read it. Reload to see the current file before deciding; nothing was written.';

export class ReviewPanels implements vscode.Disposable {
  private readonly panels = new Set<Panel>();
  /** Review statuses as they were when the session started (queue order and membership). */
  private pinned = new Map<string, ReviewStatus>();
  private readonly disposables: vscode.Disposable[] = [];
  private runsWatcher: vscode.Disposable | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly d: ReviewDeps) {
    this.disposables.push(
      d.index.onDidChange(() => this.onIndexChanged()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('clawgym.runsDirectory')) this.watchRuns();
        if (e.affectsConfiguration('clawgym.reviewFilter') || e.affectsConfiguration('clawgym.runsDirectory')) this.refreshAll();
      }),
    );
  }

  /** A new session: the queue is ordered by the statuses tasks have now. */
  startSession(): void {
    this.pinned = pinStatuses(this.d.index.entries());
  }

  queue(): TaskEntry[] {
    return reviewQueue(this.d.index.entries(), this.d.index.taskRoots, settings().reviewFilter, this.pinned);
  }

  /** Show `entry` in its panel, creating one if no panel shows it yet. */
  async open(entry: TaskEntry): Promise<void> {
    const existing = this.find(entry.key);
    if (existing) return void existing.host.reveal(undefined, false);
    const snap = await this.read(entry);
    const p = { entry, snap, hint: undefined, stale: null, running: null, writing: false, watcher: undefined, runs: { oracle: undefined, nop: undefined, model: undefined } } as Panel;
    p.host = new PanelHost<HostMessage, WebviewMessage>(
      {
        extensionUri: this.d.extensionUri,
        log: this.d.log,
        viewType: 'clawgym.review',
        title: `Review: ${entry.id}`,
        page: { name: 'review', title: 'Task Review', root: '<main id="app">' },
        messages: WebviewMessage,
        label: 'review view',
      },
      {
        onReady: () => this.postState(p),
        onMessage: (m) => this.onMessage(p, m),
        onError: (e) => this.notice(p, 'error', errorMessage(e)),
        onDispose: () => {
          p.watcher?.dispose();
          this.panels.delete(p);
        },
      },
    );
    this.panels.add(p);
    this.watchTaskFile(p);
    this.watchRuns();
    // Coming back to a panel is when a change on disk matters: look again.
    p.host.panel.onDidChangeViewState((e) => e.webviewPanel.visible && void this.checkStale(p));
    this.d.log.info(`review: ${entry.id}`);
  }

  private find(key: string): Panel | undefined {
    return [...this.panels].find((p) => p.entry.key === key);
  }

  private async read(entry: TaskEntry): Promise<Snapshot> {
    const indexed = this.d.index.get(entry.key)?.task;
    const file = reviewFileOf(entry);
    let task = indexed;
    let text: string | undefined;
    let loadError: string | null = null;
    if (file) {
      try {
        ({ task, text } = await readNativeTask(file));
      } catch (e) {
        loadError = errorMessage(e);
        // Remember the text anyway: writing stays refused until the file is valid and reloaded.
        text = await readFile(file, 'utf8').catch(() => undefined);
      }
    }
    if (!task) throw new Error(`${entry.id}: the task is no longer loaded (${loadError ?? 'removed?'})`);
    const [workspace, changes] = await Promise.all([listWorkspace(task), taskChanges(task, file)]);
    return { task, file, text, workspace, changes, loadError };
  }

  private compose(p: Panel): ReviewState {
    const { task } = p.snap;
    const q = this.queue();
    const i = q.findIndex((t) => t.key === p.entry.key);
    if (i >= 0) p.hint = i;
    const others = new Set(this.d.index.byId(task.spec.id).map((t) => t.entry.source).filter((s) => s !== task.source));
    p.runs = latestRunsByKind(readTaskRuns(settings().runsDir, task.spec.id), task, others);
    const runs = Object.fromEntries(
      AGENT_KINDS.map((k) => {
        const selected = p.runs[k];
        return [k, { selected, verify: selected ? readTrialVerify(join(selected.run.runDir, selected.latest.trial_dir)) : undefined }];
      }),
    ) as ReviewInputs['runs'];
    const rel = relative(baseFolder(), task.source);
    return reviewState({
      entry: p.entry,
      spec: task.spec,
      location: rel && !rel.startsWith('..') ? rel : task.source,
      workspace: { files: p.snap.workspace.files, error: p.snap.workspace.error },
      hasSolution: hasSolution(task),
      runs,
      changes: p.snap.changes,
      queue: queueView(q, p.entry.key, settings().reviewFilter, p.hint),
      trusted: vscode.workspace.isTrusted,
      running: p.running,
      stale: p.stale,
      loadError: p.snap.loadError,
    });
  }

  private post(p: Panel, m: HostMessage): void {
    p.host.post(m);
  }

  private postState(p: Panel): void {
    try {
      this.post(p, { type: 'state', state: this.compose(p) });
    } catch (e) {
      this.d.log.error(`review ${p.entry.id}: ${errorMessage(e)}`);
    }
  }

  private notice(p: Panel, level: 'info' | 'error', message: string): void {
    this.post(p, { type: 'notice', level, message, key: p.entry.key });
  }

  /** Read the task again (after Reload, a decision, or when it is shown in the panel anew). */
  private async reload(p: Panel): Promise<void> {
    p.snap = await this.read(p.entry);
    p.stale = null;
    this.postState(p);
  }

  private async checkStale(p: Panel): Promise<void> {
    if (p.writing || !p.snap.file) return;
    const now = await readFile(p.snap.file, 'utf8').catch(() => undefined);
    const stale = now !== p.snap.text ? STALE_MESSAGE : null;
    if (stale === p.stale) return;
    p.stale = stale;
    if (stale) this.d.log.info(`review ${p.entry.id}: task.yaml changed on disk`);
    this.postState(p);
  }

  private watchTaskFile(p: Panel): void {
    p.watcher?.dispose();
    p.watcher = undefined;
    if (!p.snap.file) return;
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(p.snap.file)), 'task.yaml'));
    const check = () => void this.checkStale(p);
    p.watcher = vscode.Disposable.from(w, w.onDidChange(check), w.onDidCreate(check), w.onDidDelete(check));
  }

  /** A trial finishing anywhere (CLI, Test Explorer, terminal) refreshes the results shown. */
  private watchRuns(): void {
    this.runsWatcher?.dispose();
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(settings().runsDir), '*/results.jsonl'));
    const soon = () => {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => this.refreshAll(), 500);
    };
    this.runsWatcher = vscode.Disposable.from(w, w.onDidChange(soon), w.onDidCreate(soon));
  }

  refreshAll(): void {
    for (const p of this.panels) this.postState(p);
  }

  private onIndexChanged(): void {
    for (const p of this.panels) {
      // The live entry (its review status) when the task is still there; the panel keeps its snapshot.
      const live = this.d.index.get(p.entry.key)?.entry;
      if (live) p.entry = live;
      this.postState(p);
    }
  }

  /** Show another task in this panel (or reveal the panel that already shows it). */
  private async retarget(p: Panel, entry: TaskEntry): Promise<void> {
    const other = this.find(entry.key);
    if (other) return void other.host.reveal(undefined, false);
    this.post(p, { type: 'busy', message: `Loading ${entry.id}…` });
    try {
      p.snap = await this.read(entry);
    } finally {
      this.post(p, { type: 'busy', message: null });
    }
    p.entry = entry;
    p.stale = null;
    p.running = null;
    p.host.panel.title = `Review: ${entry.id}`;
    this.watchTaskFile(p);
    this.postState(p);
  }

  private async decide(p: Panel, status: ReviewDecision, note: string): Promise<void> {
    const { file, text } = p.snap;
    const id = p.entry.id;
    if (!file) return this.notice(p, 'error', `${id} is a ${p.entry.format} task; convert it to a native task to review it.`);
    if (status === 'accepted' && !(await confirmAccept(p.entry, this.d.index))) return this.notice(p, 'info', `${id}: not accepted.`);
    p.writing = true;
    this.post(p, { type: 'busy', message: 'Saving…' });
    try {
      await writeReview(file, { status, notes: note, reviewer: userInfo().username }, { expectedText: text });
      this.d.log.info(`${id}: review ${status} (review panel)`);
      p.snap = await this.read(p.entry);
      p.stale = null;
      this.notice(p, 'info', `${id}: ${status.replace('_', ' ')}${note.trim() ? ' with a note' : ''}. task.yaml saved.`);
      void vscode.window.setStatusBarMessage(`ClawGym: ${id} ${status.replace('_', ' ')}`, 3000);
      // The index reloads the task: the Tasks and Bench views and every panel follow.
      await this.d.index.reload();
    } catch (e) {
      if (e instanceof StaleFileError) {
        p.stale = STALE_MESSAGE;
        this.d.log.warn(`${id}: review not written, task.yaml changed on disk since the panel read it`);
        this.notice(p, 'error', `${id}: not saved — task.yaml changed on disk since this panel read it. Reload, then decide again.`);
      } else {
        this.d.log.error(`${id}: review not written: ${errorMessage(e)}`);
        this.notice(p, 'error', `${id}: not saved — ${errorMessage(e)}`);
      }
    } finally {
      p.writing = false;
      this.post(p, { type: 'busy', message: null });
      this.postState(p);
    }
  }

  private async runAgent(p: Panel, agent: PanelAgent): Promise<void> {
    if (!this.d.requireTrust() || p.running) return;
    const entry = p.entry;
    p.running = agent;
    this.postState(p);
    try {
      const outcome = await this.d.run(entry, agent);
      if (outcome) this.notice(p, outcome.line.error ? 'error' : 'info', `${agent} on ${entry.id}: reward ${outcome.line.reward.toFixed(2)}${outcome.line.error ? ` — ${outcome.line.error}` : ''}`);
    } finally {
      p.running = null;
      // Every panel on this task shows the new result (this one may show another task by now).
      this.refreshAll();
    }
  }

  private showResult(p: Panel, kind: AgentKind): void {
    const sel = p.runs[kind];
    if (!sel) return;
    const trialDir = join(sel.run.runDir, sel.latest.trial_dir);
    const v = readTrialVerify(trialDir);
    if (!v) return void vscode.window.showWarningMessage(`ClawGym: no verify.json in ${trialDir}.`);
    const line = readResults(runPaths(sel.run.runDir).results).results.find((r) => r.trial_dir === sel.latest.trial_dir) ?? sel.latest;
    this.d.verification.show(verificationState(v, { kind: 'trial', runId: sel.run.runId, trialDir, agent: line.agent, attempt: line.attempt }, line));
  }

  private async onMessage(p: Panel, msg: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    // An action meant for the task the panel showed before it moved on is dropped.
    if (msg.key !== p.entry.key) return void this.d.log.warn(`review view: dropped "${msg.type}" for a task the panel no longer shows`);
    switch (msg.type) {
      case 'decide':
        if (p.writing) return;
        return this.decide(p, msg.status, msg.note);
      case 'navigate': {
        const q = this.queue();
        const target = queueStep(q, p.entry.key, msg.delta, p.hint);
        if (!target) return this.notice(p, 'info', msg.delta > 0 ? 'This is the last task in the review queue.' : 'This is the first task in the review queue.');
        return this.retarget(p, target);
      }
      case 'reload':
        return this.reload(p);
      case 'run':
        return this.runAgent(p, msg.agent);
      case 'openFile': {
        const host = p.snap.workspace.hostFiles.get(msg.path);
        if (!host) return void this.d.log.warn(`review view: refused to open ${msg.path} (not a file of the task's workspace)`);
        await vscode.window.showTextDocument(vscode.Uri.file(host), { preview: true, viewColumn: vscode.ViewColumn.Beside }).then(undefined, (e) => vscode.window.showWarningMessage(`ClawGym: cannot open ${msg.path}: ${e}`));
        return;
      }
      case 'openTaskFile':
        await vscode.window.showTextDocument(vscode.Uri.file(p.snap.file ?? p.snap.task.source), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      case 'showResult':
        return this.showResult(p, msg.kind);
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.runsWatcher?.dispose();
    for (const p of [...this.panels]) p.host.dispose();
    this.panels.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** The panels and the ClawGym: Review Tasks command (from the palette, or a task's context menu). */
export function registerReview(d: ReviewDeps): vscode.Disposable[] {
  const panels = new ReviewPanels(d);
  const command = vscode.commands.registerCommand('clawgym.reviewTasks', async (node?: unknown) => {
    await d.index.ready();
    panels.startSession();
    const fromTree = (node as { kind?: string; task?: TaskEntry } | undefined)?.kind === 'task' ? (node as { task: TaskEntry }).task : undefined;
    if (fromTree && explainBroken(fromTree, 'be reviewed')) return;
    if (fromTree && fromTree.format !== 'native') return void offerNativeConversion(fromTree, 'a review decision is written into task.yaml, which its format does not have');
    const first = fromTree ?? panels.queue()[0];
    if (!first) {
      const f = settings().reviewFilter;
      void vscode.window.showInformationMessage(`ClawGym: no native tasks to review${f === 'all' ? '' : ` with review status ${f.replace('_', ' ')}`} (the queue follows the Tasks view's filter).`);
      return;
    }
    await panels.open(first).catch((e) => vscode.window.showErrorMessage(`ClawGym: ${errorMessage(e)}`));
  });
  return [panels, command];
}
