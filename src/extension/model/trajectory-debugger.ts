/**
 * View model of the trajectory debugger: a trial's steps (from trajectory.json, or from the live
 * events.jsonl while the trial runs) as timeline rows, the selection and how it moves (stepping,
 * first failing tool call, last step that changed a file), and what each step's workspace diff
 * compares. Pure: no vscode, no file system — the panel feeds it what it read.
 *
 * Two step numberings meet here. ATIF numbers every step from 1 (system and user steps included);
 * events.jsonl and the snapshot commits number agent turns (model calls) from 1, with turn 0 the
 * workspace as materialized. The k-th agent step of the trajectory is turn k.
 */
import { TRIAL_FILES } from '../../core/runs/folder.js';
import type { AtifTrajectory } from '../../core/trace/atif.js';
import { TrialEvent } from '../../core/trace/events.js';
import type { NavigateAction, SnapshotDetail, StepDetail, TimelineRow, ToolCallDetail, TrajectoryHeader } from '../../protocol/trajectory.js';

/** Longest text a step detail carries (per field); the rest is cut with a note. */
export const MAX_DETAIL_TEXT = 100_000;
/** Longest one-line row summary. */
export const MAX_SUMMARY = 160;

/** The events.jsonl lines (core's one schema); lines that are not events are skipped. */
const Ev = TrialEvent;
type Ev = TrialEvent;

/** A snapshot known from events.jsonl or read from snapshots.git. `changed` null: not known. */
export interface SnapshotRef {
  commit: string;
  turn: number | null;
  changed: string[] | null;
}

export interface DebugCall {
  id: string;
  name: string;
  arguments: Record<string, unknown> | string;
  result: string | null;
  error: boolean;
  ms: number | null;
}

export interface DebugStep {
  /** `a<turn>` for agent steps, `s<step_id>` for the others: stable from live events to the trajectory. */
  key: string;
  stepId: number | null;
  turn: number | null;
  source: 'system' | 'user' | 'agent';
  timestamp: string | null;
  model: string | null;
  message: string;
  reasoning: string | null;
  calls: DebugCall[];
  otherResults: string[];
  metrics: { promptTokens: number | null; completionTokens: number | null; cachedTokens: number | null; costUsd: number | null } | null;
  timing: { stepMs: number | null; llmMs: number | null } | null;
  finishReason: string | null;
  /** The snapshot taken after this step, when it changed files. */
  snapshot: string | null;
  /** Files the step changed (empty when it changed none). */
  changed: string[];
  /** False when the step has a snapshot but nothing says which files it changed. */
  changedKnown: boolean;
  /** Live: the step has started and not ended yet. */
  running: boolean;
}

/** What a step's diff compares: the workspace before the step and after it. */
export interface DiffTarget {
  before: string | null;
  after: string | null;
  changed: string[];
}

export interface FileTouches {
  path: string;
  /** Indices of the steps that changed the file, ascending. */
  steps: number[];
}

export interface DebuggerInput {
  trajectory: AtifTrajectory | null;
  /** events.jsonl lines, parsed as JSON (anything else in them is skipped). */
  events?: readonly unknown[];
  /** Snapshots read from snapshots.git (for trials whose events are gone or incomplete). */
  snapshots?: readonly SnapshotRef[];
}

export interface DebuggerOptions {
  title: string;
  source: string;
  /** snapshots.git is there to read file contents from. */
  snapshotsAvailable?: boolean;
}

/** Paths a file tool names (OpenClaw's parameter names and their aliases). */
const PATH_KEYS = ['path', 'file_path', 'filePath', 'file'] as const;
const MUTATING_TOOLS = new Set(['write', 'edit']);

export function oneLine(text: string, max = MAX_SUMMARY): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function pathArg(args: Record<string, unknown> | string): string | null {
  if (typeof args === 'string') return null;
  for (const k of PATH_KEYS) if (typeof args[k] === 'string' && args[k]) return args[k] as string;
  return null;
}

/** The gist of a tool call's arguments on one line: the path, the command, or compact JSON. */
export function argumentSummary(name: string, args: Record<string, unknown> | string): string {
  if (typeof args === 'string') return oneLine(args);
  if (typeof args.command === 'string') return oneLine(args.command);
  const p = pathArg(args);
  if (p) return oneLine(p);
  if (name === 'process' && typeof args.action === 'string') return oneLine(`${args.action}${typeof args.sessionId === 'string' ? ` ${args.sessionId}` : ''}`);
  return oneLine(JSON.stringify(args));
}

function cut(text: string): [string, boolean] {
  return text.length > MAX_DETAIL_TEXT ? [`${text.slice(0, MAX_DETAIL_TEXT)}\n… (${text.length - MAX_DETAIL_TEXT} more characters in the file)`, true] : [text, false];
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Steps of an ATIF trajectory; agent steps numbered as turns 1, 2, … */
function stepsOfTrajectory(t: AtifTrajectory): DebugStep[] {
  let turn = 0;
  return t.steps.map((s) => {
    const isAgent = s.source === 'agent';
    if (isAgent) turn++;
    const calls: DebugCall[] = (s.tool_calls ?? []).map((c) => ({
      id: c.tool_call_id,
      name: c.function_name,
      arguments: typeof c.extra?.raw_arguments === 'string' ? c.extra.raw_arguments : c.arguments,
      result: null,
      error: false,
      ms: null,
    }));
    const otherResults: string[] = [];
    for (const r of s.observation?.results ?? []) {
      const call = r.source_call_id ? calls.find((c) => c.id === r.source_call_id && c.result === null) : undefined;
      if (call) {
        call.result = r.content ?? '';
        call.error = r.extra?.is_error === true;
      } else otherResults.push(r.content ?? '');
    }
    const timing = s.extra?.timing as { step_ms?: unknown; llm_ms?: unknown } | undefined;
    return {
      key: isAgent ? `a${turn}` : `s${s.step_id}`,
      stepId: s.step_id,
      turn: isAgent ? turn : null,
      source: s.source,
      timestamp: s.timestamp ?? null,
      model: s.model_name ?? null,
      message: s.message,
      reasoning: s.reasoning_content ?? null,
      calls,
      otherResults,
      metrics: s.metrics
        ? { promptTokens: s.metrics.prompt_tokens ?? null, completionTokens: s.metrics.completion_tokens ?? null, cachedTokens: s.metrics.cached_tokens ?? null, costUsd: s.metrics.cost_usd ?? null }
        : null,
      timing: timing ? { stepMs: num(timing.step_ms), llmMs: num(timing.llm_ms) } : null,
      finishReason: typeof s.extra?.finish_reason === 'string' ? s.extra.finish_reason : null,
      snapshot: typeof s.extra?.snapshot === 'string' ? s.extra.snapshot : null,
      changed: [],
      changedKnown: true,
      running: false,
    };
  });
}

function emptyAgentStep(turn: number): DebugStep {
  return {
    key: `a${turn}`,
    stepId: null,
    turn,
    source: 'agent',
    timestamp: null,
    model: null,
    message: '',
    reasoning: null,
    calls: [],
    otherResults: [],
    metrics: null,
    timing: null,
    finishReason: null,
    snapshot: null,
    changed: [],
    changedKnown: true,
    running: false,
  };
}

export class TrajectoryDebugger {
  steps: DebugStep[] = [];
  rows: TimelineRow[] = [];
  /** Index of the selected row. */
  selected = 0;
  /** Live: keep the selection on the newest row as rows arrive. */
  follow = false;
  /** Steps come from events.jsonl (the trial has not written trajectory.json yet). */
  fromEvents = false;
  /** The agent has ended (agent_end) / the trial has ended (trial_end). */
  agentEnded = false;
  trialEnded = false;
  endReason: string | null = null;
  snapshotsAvailable: boolean;

  private trajectory: AtifTrajectory | null = null;
  private firstRow: number[] = [];
  private rowIndex = new Map<string, number>();
  private stateAfter: Array<string | null> = [];
  private initial: string | null = null;
  /** Snapshots by commit and by turn, from events and snapshots.git. */
  private byCommit = new Map<string, SnapshotRef>();
  private byTurn = new Map<number, SnapshotRef>();
  /** Tool timings from events (the trajectory has none per call), by `turn/callId`. */
  private callMs = new Map<string, number>();
  private readonly title: string;
  private readonly source: string;

  constructor(o: DebuggerOptions) {
    this.title = o.title;
    this.source = o.source;
    this.snapshotsAvailable = o.snapshotsAvailable ?? false;
  }

  /** Replace everything (first load, or the switch from live events to trajectory.json); the selection stays on its row. */
  load(input: DebuggerInput): void {
    const key = this.rows[this.selected]?.key;
    const wasFollowing = this.follow;
    this.trajectory = input.trajectory;
    this.byCommit.clear();
    this.byTurn.clear();
    this.callMs.clear();
    this.initial = null;
    this.agentEnded = this.trialEnded = false;
    this.endReason = null;
    for (const s of input.snapshots ?? []) this.noteSnapshot(s);
    if (input.trajectory) {
      this.fromEvents = false;
      // Events still tell the snapshots, tool timings and how the run ended.
      for (const e of input.events ?? []) this.eventForFinal(e);
      this.steps = stepsOfTrajectory(input.trajectory);
      for (const s of this.steps) {
        for (const c of s.calls) c.ms = this.callMs.get(`${s.turn}/${c.id}`) ?? null;
      }
      const end = input.trajectory.extra?.end_reason;
      if (typeof end === 'string') this.endReason = end;
      this.agentEnded = true;
    } else {
      this.fromEvents = true;
      this.steps = [];
      for (const e of input.events ?? []) this.applyEvent(e);
    }
    this.resolveSnapshots(0);
    this.rebuildRows(0);
    const at = key === undefined ? undefined : this.rowIndex.get(key);
    this.follow = wasFollowing && this.live;
    if (this.follow) this.selected = Math.max(0, this.rows.length - 1);
    else this.selected = at ?? this.clamp(this.selected);
  }

  /** The trial is still running: steps come from events and more are on their way. */
  get live(): boolean {
    return this.fromEvents && !this.trialEnded;
  }

  /**
   * Live: apply new events.jsonl lines. Returns the first row index that changed (rows from there
   * on were replaced), or null when the rows are as they were.
   */
  append(events: readonly unknown[]): number | null {
    if (!this.fromEvents) return null;
    const before = this.steps.length;
    let firstStep = Number.POSITIVE_INFINITY;
    let reset = false;
    for (const e of events) {
      const r = this.applyEvent(e);
      if (r === 'reset') reset = true;
      else if (r !== null) firstStep = Math.min(firstStep, r);
    }
    if (reset) {
      this.resolveSnapshots(0);
      this.rebuildRows(0);
      this.selected = this.follow ? Math.max(0, this.rows.length - 1) : this.clamp(this.selected);
      return 0;
    }
    if (!Number.isFinite(firstStep)) return null;
    firstStep = Math.min(firstStep, before);
    const key = this.rows[this.selected]?.key;
    this.resolveSnapshots(firstStep);
    const from = this.rebuildRows(firstStep);
    if (this.follow) this.selected = Math.max(0, this.rows.length - 1);
    else if (key !== undefined) this.selected = this.rowIndex.get(key) ?? this.clamp(this.selected);
    return from;
  }

  private noteSnapshot(s: SnapshotRef): void {
    const known = this.byCommit.get(s.commit);
    const merged: SnapshotRef = { commit: s.commit, turn: s.turn ?? known?.turn ?? null, changed: s.changed ?? known?.changed ?? null };
    this.byCommit.set(s.commit, merged);
    if (merged.turn !== null) this.byTurn.set(merged.turn, merged);
    if (merged.turn === 0) this.initial = s.commit;
  }

  private eventForFinal(raw: unknown): void {
    const p = Ev.safeParse(raw);
    if (!p.success) return;
    const e = p.data;
    if (e.type === 'trial_start') {
      this.callMs.clear(); // a harness retry started the trial over
    } else if (e.type === 'snapshot') this.noteSnapshot({ commit: e.commit, turn: e.step, changed: e.changed });
    else if (e.type === 'tool_result') this.callMs.set(`${e.step}/${e.id}`, e.ms);
    else if (e.type === 'trial_end') this.trialEnded = true;
  }

  /** Apply one event to the live steps; the index of the step it changed, 'reset', or null. */
  private applyEvent(raw: unknown): number | 'reset' | null {
    const p = Ev.safeParse(raw);
    if (!p.success) return null;
    const e: Ev = p.data;
    switch (e.type) {
      case 'trial_start':
        // A harness retry starts the trial folder over.
        if (!this.steps.length && !this.byCommit.size) return null;
        this.steps = [];
        this.byCommit.clear();
        this.byTurn.clear();
        this.initial = null;
        this.agentEnded = this.trialEnded = false;
        this.endReason = null;
        return 'reset';
      case 'agent_end':
        this.agentEnded = true;
        this.endReason = e.reason;
        return null;
      case 'trial_end': {
        this.trialEnded = true;
        // A step cut short (the agent failed or was stopped) is not running any more.
        const last = this.steps.findIndex((s) => s.running);
        for (const s of this.steps) s.running = false;
        return last < 0 ? null : last;
      }
      case 'snapshot':
        this.noteSnapshot({ commit: e.commit, turn: e.step, changed: e.changed });
        if (e.step === 0) return this.steps.length ? 0 : null;
        return this.touch(e.step, (s) => {
          s.snapshot = e.commit;
        });
      case 'step':
        return this.touch(e.step, (s) => {
          s.running = e.state === 'start';
          if (e.state === 'end' && e.ms !== undefined) s.timing = { llmMs: s.timing?.llmMs ?? null, stepMs: e.ms };
        });
      case 'llm_call':
        return this.touch(e.step, (s) => {
          s.metrics = { promptTokens: e.prompt_tokens, completionTokens: e.completion_tokens, cachedTokens: null, costUsd: e.cost_usd };
          s.timing = { stepMs: s.timing?.stepMs ?? null, llmMs: e.ms };
          s.finishReason = e.finish_reason;
        });
      case 'assistant_text':
        return this.touch(e.step, (s) => {
          s.message = e.text;
        });
      case 'tool_call':
        return this.touch(e.step, (s) => {
          s.calls.push({ id: e.id, name: e.name, arguments: e.arguments, result: null, error: false, ms: null });
        });
      case 'tool_result':
        return this.touch(e.step, (s) => {
          const c = s.calls.find((x) => x.id === e.id && x.result === null);
          if (c) Object.assign(c, { result: e.text, error: e.is_error, ms: e.ms });
          else s.otherResults.push(e.text);
        });
      default:
        return null; // phases, checks, output…: not steps
    }
  }

  /** The live step of `turn` (created, with any turns before it, when new), changed by `f`. */
  private touch(turn: number, f: (s: DebugStep) => void): number | null {
    if (turn < 1) return null;
    let i = this.steps.findIndex((s) => s.turn === turn);
    if (i < 0) {
      const last = this.steps.at(-1)?.turn ?? 0;
      if (turn <= last) return null; // out of order: ignore
      for (let t = last + 1; t <= turn; t++) this.steps.push(emptyAgentStep(t));
      i = this.steps.length - 1;
    }
    f(this.steps[i]!);
    return i;
  }

  /** Fill each step's snapshot and changed files from `from` on, and the state after each step. */
  private resolveSnapshots(from: number): void {
    for (let i = from; i < this.steps.length; i++) {
      const s = this.steps[i]!;
      if (s.source === 'agent' && s.turn !== null) {
        s.snapshot ??= this.byTurn.get(s.turn)?.commit ?? null;
        const known = s.snapshot ? this.byCommit.get(s.snapshot)?.changed : [];
        s.changed = known ?? [];
        s.changedKnown = known !== null && known !== undefined;
      }
    }
    this.stateAfter.length = this.steps.length;
    let state = from > 0 ? (this.stateAfter[from - 1] ?? this.initial) : this.initial;
    for (let i = from; i < this.steps.length; i++) {
      const snap = this.steps[i]!.snapshot;
      if (snap) state = snap;
      this.stateAfter[i] = state;
    }
  }

  private rowsOf(s: DebugStep, step: number): TimelineRow[] {
    const label = s.stepId !== null ? `#${s.stepId}` : `t${s.turn}`;
    const base = { step, label, error: false, tokens: null, costUsd: null, changed: 0 };
    if (s.source !== 'agent') return [{ ...base, key: s.key, kind: s.source, title: s.source, summary: oneLine(s.message) }];
    const m = s.metrics;
    const tokens = m && (m.promptTokens !== null || m.completionTokens !== null) ? (m.promptTokens ?? 0) + (m.completionTokens ?? 0) : null;
    const text =
      oneLine(s.message) ||
      (s.calls.length
        ? `(${s.calls.length} tool call${s.calls.length === 1 ? '' : 's'})`
        : s.running
          ? s.metrics
            ? '(running…)'
            : '(waiting for the model…)'
          : '(no text)');
    const out: TimelineRow[] = [{ ...base, key: s.key, kind: 'agent', title: 'agent', summary: text, tokens, costUsd: m?.costUsd ?? null, changed: s.changed.length }];
    s.calls.forEach((c, i) => {
      out.push({ ...base, key: `${s.key}/call/${i}`, kind: 'tool_call', title: c.name, summary: argumentSummary(c.name, c.arguments), error: c.error });
      if (c.result !== null) out.push({ ...base, key: `${s.key}/obs/${i}`, kind: 'observation', title: c.error ? 'error' : 'result', summary: oneLine(c.result) || '(empty)', error: c.error });
    });
    s.otherResults.forEach((r, i) => out.push({ ...base, key: `${s.key}/obs/x${i}`, kind: 'observation', title: 'result', summary: oneLine(r) || '(empty)' }));
    return out;
  }

  /** Rebuild the rows of steps `from`… ; returns the first row index that was rebuilt. */
  private rebuildRows(from: number): number {
    const start = from < this.firstRow.length ? this.firstRow[from]! : this.rows.length;
    for (const r of this.rows.slice(start)) this.rowIndex.delete(r.key);
    this.rows.length = start;
    this.firstRow.length = from;
    for (let i = from; i < this.steps.length; i++) {
      this.firstRow.push(this.rows.length);
      for (const r of this.rowsOf(this.steps[i]!, i)) {
        this.rowIndex.set(r.key, this.rows.length);
        this.rows.push(r);
      }
    }
    return start;
  }

  private clamp(i: number): number {
    return Math.max(0, Math.min(i, this.rows.length - 1));
  }

  header(): TrajectoryHeader {
    let prompt = 0;
    let completion = 0;
    let cost = 0;
    let priced = false;
    let toolCalls = 0;
    let failed = 0;
    for (const s of this.steps) {
      prompt += s.metrics?.promptTokens ?? 0;
      completion += s.metrics?.completionTokens ?? 0;
      if (s.metrics?.costUsd !== null && s.metrics?.costUsd !== undefined) {
        cost += s.metrics.costUsd;
        priced = true;
      }
      toolCalls += s.calls.length;
      failed += s.calls.filter((c) => c.error).length;
    }
    const t = this.trajectory;
    return {
      title: this.title,
      source: this.source,
      agent: t ? `${t.agent.name}${t.agent.version ? ` ${t.agent.version}` : ''}` : 'agent',
      model: t?.agent.model_name ?? this.steps.find((s) => s.model)?.model ?? null,
      steps: this.steps.length,
      toolCalls,
      failedCalls: failed,
      promptTokens: prompt,
      completionTokens: completion,
      costUsd: priced ? cost : null,
      live: this.live,
      endReason: this.endReason,
      snapshots: this.snapshotsAvailable && (this.initial !== null || this.steps.some((s) => s.snapshot)),
    };
  }

  // ——— selection ———

  /** Select a row (clamped). Leaves follow mode unless it is the newest row. */
  select(index: number): number {
    this.selected = this.clamp(index);
    this.follow = this.live && this.follow && this.selected === this.rows.length - 1;
    return this.selected;
  }

  setFollow(follow: boolean): void {
    this.follow = follow && this.live;
    if (this.follow) this.selected = this.clamp(this.rows.length - 1);
  }

  /** The step of the selected row. */
  get selectedStep(): number {
    return this.rows[this.selected]?.step ?? 0;
  }

  /** Move the selection; false when there is nowhere to go (the selection is unchanged). */
  navigate(action: NavigateAction): boolean {
    const target = this.targetOf(action);
    if (target === null) return false;
    this.selected = target;
    this.follow = this.live && action === 'last';
    return true;
  }

  private targetOf(action: NavigateAction): number | null {
    const n = this.rows.length;
    if (!n) return null;
    const cur = this.clamp(this.selected);
    const step = this.rows[cur]!.step;
    const failing = (i: number) => this.rows[i]!.kind === 'tool_call' && this.rows[i]!.error;
    switch (action) {
      case 'next':
        return cur + 1 < n ? cur + 1 : null;
      case 'prev':
        return cur > 0 ? cur - 1 : null;
      case 'first':
        return 0;
      case 'last':
        return n - 1;
      case 'nextStep':
        return step + 1 < this.steps.length ? this.firstRow[step + 1]! : null;
      case 'prevStep':
        if (cur > this.firstRow[step]!) return this.firstRow[step]!;
        return step > 0 ? this.firstRow[step - 1]! : null;
      case 'firstFailure':
        for (let i = 0; i < n; i++) if (failing(i)) return i;
        return null;
      case 'nextFailure':
        for (let i = cur + 1; i < n; i++) if (failing(i)) return i;
        return null;
      case 'prevFailure':
        for (let i = cur - 1; i >= 0; i--) if (failing(i)) return i;
        return null;
    }
  }

  /**
   * Files and the steps that changed them: what the snapshots say; for a step whose changes no
   * snapshot tells (none recorded, or not known which files), the paths of its write and edit
   * calls that did not fail.
   */
  files(): FileTouches[] {
    const touches = new Map<string, number[]>();
    const add = (p: string, i: number) => {
      const list = touches.get(p) ?? [];
      if (list.at(-1) !== i) list.push(i);
      touches.set(p, list);
    };
    const haveSnapshots = this.initial !== null || this.steps.some((s) => s.snapshot);
    this.steps.forEach((s, i) => {
      if (haveSnapshots && s.changedKnown) for (const p of s.changed) add(p, i);
      else if (!haveSnapshots || s.snapshot)
        for (const c of s.calls) {
          const p = MUTATING_TOOLS.has(c.name) && !c.error ? pathArg(c.arguments) : null;
          if (p) add(p.replace(/^\.\//, ''), i);
        }
    });
    return [...touches].map(([path, steps]) => ({ path, steps })).sort((a, b) => a.path.localeCompare(b.path));
  }

  /** The last step before step index `before` (default: the end) that changed `path`; null if none. */
  lastTouchStep(path: string, before = this.steps.length): number | null {
    const f = this.files().find((x) => x.path === path);
    if (!f) return null;
    for (let k = f.steps.length - 1; k >= 0; k--) if (f.steps[k]! < before) return f.steps[k]!;
    return null;
  }

  /** Select the last step (its agent row) before `before` that changed `path`; false if there is none. */
  lastTouch(path: string, before?: number): boolean {
    const s = this.lastTouchStep(path, before);
    if (s === null) return false;
    this.selected = this.firstRow[s]!;
    this.follow = false;
    return true;
  }

  /** The workspace before step `i` (the latest snapshot before it) and after it (equal when it changed nothing). */
  diffTarget(i: number): DiffTarget {
    const s = this.steps[i];
    if (!s) return { before: null, after: null, changed: [] };
    const before = i > 0 ? (this.stateAfter[i - 1] ?? null) : this.initial;
    const after = this.stateAfter[i] ?? null;
    return { before, after, changed: after !== before ? s.changed : [] };
  }

  private snapshotDetail(i: number): SnapshotDetail {
    const d = this.diffTarget(i);
    const any = this.initial !== null || this.steps.some((s) => s.snapshot);
    let note: string | null = null;
    if (!any) note = 'No workspace snapshots were recorded with this trajectory.';
    else if (!this.snapshotsAvailable) note = this.live ? 'The snapshots reach the trial folder when the trial ends.' : 'snapshots.git is not in the trial folder.';
    else if (!d.changed.length && this.steps[i]?.running) note = 'This step is still running.';
    else if (!d.changed.length) note = this.steps[i]?.source === 'agent' ? 'This step changed no file.' : 'Before the agent’s first step: nothing changed yet.';
    return { before: d.before, after: d.after, changed: d.changed, available: any && this.snapshotsAvailable, note };
  }

  /** Everything the detail pane shows for the step of row `index` (default: the selected row). */
  detail(index = this.selected): StepDetail | null {
    const row = this.rows[index];
    if (!row) return null;
    const s = this.steps[row.step]!;
    let truncated = false;
    const text = (t: string): string => {
      const [v, c] = cut(t);
      truncated ||= c;
      return v;
    };
    const calls: ToolCallDetail[] = s.calls.map((c) => ({
      id: c.id,
      name: c.name,
      arguments: text(typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments, null, 2)),
      result: c.result === null ? null : text(c.result),
      error: c.error,
      ms: c.ms,
    }));
    const m = /\/(?:call|obs)\/(\d+)$/.exec(row.key);
    return {
      step: row.step,
      stepId: s.stepId,
      turn: s.turn,
      source: s.source,
      timestamp: s.timestamp,
      model: s.model,
      message: text(s.message),
      reasoning: s.reasoning === null ? null : text(s.reasoning),
      calls,
      otherResults: s.otherResults.map(text),
      metrics: s.metrics,
      timing: s.timing,
      finishReason: s.finishReason,
      snapshot: this.snapshotDetail(row.step),
      focusCall: m ? (s.calls[Number(m[1])]?.id ?? null) : null,
      truncated,
    };
  }

  /** Row index of the first row of step `i`. */
  rowOfStep(i: number): number | undefined {
    return this.firstRow[i];
  }

  /** Row index of a row key. */
  rowOfKey(key: string): number | undefined {
    return this.rowIndex.get(key);
  }
}

/**
 * What an Open Trajectory command argument points at: a path (file or trial folder), if any.
 * `trialOfTest`: the trial a Test Explorer item's latest message is about (its messages point at
 * task.yaml, not at the trial).
 */
export function trajectoryPathOf(arg: unknown, trialOfTest?: (testId: string) => string | undefined): string | undefined {
  if (typeof arg === 'string') return arg || undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  // A vscode.Uri of a file or folder.
  if (typeof o.fsPath === 'string' && o.scheme === 'file') return o.fsPath;
  // A Runs view trial node.
  const trial = o.trial as { dir?: unknown } | undefined;
  if (o.kind === 'trial' && typeof trial?.dir === 'string') return trial.dir;
  // A Test Explorer message ({ test, message }): the trial its test last ran in, else its
  // location when that is the trial's verify.json.
  const testId = (o.test as { id?: unknown } | undefined)?.id;
  const byTest = o.message && typeof testId === 'string' ? trialOfTest?.(testId) : undefined;
  if (byTest) return byTest;
  const loc = (o.message as { location?: { uri?: { fsPath?: unknown; scheme?: unknown } } } | undefined)?.location?.uri;
  if (loc && typeof loc.fsPath === 'string' && loc.scheme === 'file') {
    const p = loc.fsPath;
    const slash = p.lastIndexOf('/');
    return p.endsWith(TRIAL_FILES.verify) && slash > 0 ? p.slice(0, slash) : p;
  }
  return undefined;
}
