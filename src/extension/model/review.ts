/**
 * View model of the Task Review panel. Pure: no vscode and no disk (review-data.ts reads the disk).
 * - the review queue: the Tasks view's tasks under its review filter, unreviewed first, in the
 *   view's order within a status; statuses are pinned when a review session starts, so deciding
 *   on a task neither reorders the queue nor drops the task from under the reviewer;
 * - next / previous in it;
 * - the side-by-side results: the latest run per agent kind (oracle, nop, model) of this task,
 *   and whether each may be stale (the task changed after it);
 * - checks, rubric and workspace as the webview shows them.
 */
import type { ResultLine } from '../../core/runs/records.js';
import { checkIds, type Check, type ReviewStatus, type Rubric, type TaskSpec } from '../../core/task/schema.js';
import type { VerifyResult } from '../../core/verify/result.js';
import type { AgentKind, CheckView, QueueView, ResultColumn, ResultRun, ReviewState, RubricView, WorkspaceFileView } from '../../protocol/review.js';
import { AGENT_KINDS } from '../../protocol/review.js';
import { buildTaskTree, type ReviewFilter, type TaskEntry } from './task-tree.js';
import { formatScore } from './verification.js';

// ---------------------------------------------------------------------------------------------
// The queue

/** Queue order by review status: what still needs a look first. */
export const REVIEW_RANK: Readonly<Record<ReviewStatus, number>> = { pending: 0, needs_edit: 1, rejected: 2, accepted: 3 };

/** Only native tasks have a task.yaml a decision can be written into. */
export const isReviewable = (t: Pick<TaskEntry, 'format'>): boolean => t.format === 'native';

/**
 * The review queue: reviewable tasks the Tasks view shows under `filter`, in its order (pool,
 * category, id), stably sorted unreviewed first. `pinned` holds statuses as they were when the
 * session started; they are used in place of the live ones for filtering and ordering.
 */
export function reviewQueue(entries: readonly TaskEntry[], roots: readonly string[], filter: ReviewFilter, pinned: ReadonlyMap<string, ReviewStatus> = new Map()): TaskEntry[] {
  const live = new Map(entries.map((e) => [e.key, e]));
  const asPinned = entries.filter(isReviewable).map((e) => ({ ...e, review: pinned.get(e.key) ?? e.review }));
  const inViewOrder = buildTaskTree(asPinned, roots, filter).flatMap((p) => p.categories.flatMap((c) => c.tasks));
  const rank = new Map(inViewOrder.map((t, i) => [t.key, i]));
  return inViewOrder
    .sort((a, b) => REVIEW_RANK[a.review] - REVIEW_RANK[b.review] || rank.get(a.key)! - rank.get(b.key)!)
    .map((t) => live.get(t.key)!); // callers see the live status
}

/** The statuses to pin for a new session. */
export function pinStatuses(entries: readonly TaskEntry[]): Map<string, ReviewStatus> {
  return new Map(entries.map((e) => [e.key, e.review]));
}

/**
 * The task `delta` steps from `current` in the queue, or undefined at either end. When `current`
 * is not in the queue (deleted, or opened from elsewhere), `hint` — the index it had when last
 * seen — stands for its place: next is then the task now at `hint`, previous the one before it.
 */
export function queueStep<T extends { key: string }>(queue: readonly T[], current: string, delta: 1 | -1, hint?: number): T | undefined {
  const i = queue.findIndex((t) => t.key === current);
  if (i >= 0) return queue[i + delta];
  if (hint === undefined) return delta > 0 ? queue[0] : undefined;
  const at = Math.max(0, Math.min(hint, queue.length));
  return delta > 0 ? queue[at] : queue[at - 1];
}

export function queueView(queue: readonly TaskEntry[], current: string, filter: ReviewFilter, hint?: number): QueueView {
  const i = queue.findIndex((t) => t.key === current);
  return {
    position: i + 1,
    length: queue.length,
    filter,
    prev: queueStep(queue, current, -1, hint)?.id ?? null,
    next: queueStep(queue, current, 1, hint)?.id ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Runs of this task, latest per agent kind

export function agentKind(agent: string): AgentKind {
  return agent === 'oracle' ? 'oracle' : agent === 'nop' ? 'nop' : 'model';
}

/** One run folder as far as this task is concerned. */
export interface TaskRun {
  runId: string;
  runDir: string;
  createdAt: string;
  agent: string;
  model?: string;
  /** Where run.json says this task id was loaded from (absent: the run does not say). */
  taskSource?: string;
  /** This task's result lines in the run. */
  lines: ResultLine[];
}

export interface SelectedRun {
  run: TaskRun;
  /** The attempt that finished last (its verification is the one shown). */
  latest: ResultLine;
}

const time = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
};

/** When a run last finished a trial of the task. */
export const lastFinished = (r: TaskRun): number => Math.max(...r.lines.map((l) => time(l.finished_at)));

/**
 * The latest run of each agent kind that finished a trial of this task. A run is someone else's
 * when run.json names another task of the index under this id (same id, other pool); a run whose
 * recorded source is unknown to the index (moved, or from another machine) counts by id.
 */
export function latestRunsByKind(runs: readonly TaskRun[], task: { source: string }, otherSources: ReadonlySet<string> = new Set()): Record<AgentKind, SelectedRun | undefined> {
  const out: Record<AgentKind, SelectedRun | undefined> = { oracle: undefined, nop: undefined, model: undefined };
  const best: Record<AgentKind, number> = { oracle: -Infinity, nop: -Infinity, model: -Infinity };
  for (const r of runs) {
    if (!r.lines.length) continue;
    if (r.taskSource !== undefined && r.taskSource !== task.source && otherSources.has(r.taskSource)) continue;
    const kind = agentKind(r.agent);
    const at = lastFinished(r);
    const prev = out[kind];
    if (at > best[kind] || (at === best[kind] && prev && r.createdAt > prev.run.createdAt)) {
      best[kind] = at;
      const latest = [...r.lines].sort((a, b) => time(b.finished_at) - time(a.finished_at) || b.attempt - a.attempt)[0]!;
      out[kind] = { run: r, latest };
    }
  }
  return out;
}

/** What a result's staleness is judged against: when the task's parts last changed. */
export interface TaskChanges {
  /** The task's check ids now. */
  checkIds: readonly string[];
  /** Latest modification (ms) of a workspace, solution or tests file; null when there are none. */
  filesChangedMs: number | null;
  /** task.yaml's modification time (ms); null for tasks without one. */
  taskFileChangedMs: number | null;
  /** The review block's `updated` (ms): a task.yaml last written by a review is not a changed task. */
  reviewUpdatedMs: number | null;
}

/** Slack between a review's `updated` stamp and the file's mtime written with it. */
const REVIEW_WRITE_SLACK_MS = 5_000;

/**
 * Why a result may no longer describe the task; empty when nothing says so. The checks are
 * compared by id with those the result was verified with; files and task.yaml by time, except that
 * a task.yaml whose last write was a review decision (mtime ≈ review.updated) is not "changed".
 */
export function staleReasons(finishedAt: string, verifiedCheckIds: readonly string[] | undefined, t: TaskChanges): string[] {
  const at = time(finishedAt);
  const reasons: string[] = [];
  if (verifiedCheckIds) {
    const now = new Set(t.checkIds);
    const then = new Set(verifiedCheckIds);
    const added = [...now].filter((id) => !then.has(id));
    const removed = [...then].filter((id) => !now.has(id));
    if (added.length || removed.length) {
      reasons.push(`checks changed since this run (${[...added.map((i) => `+${i}`), ...removed.map((i) => `−${i}`)].join(', ')})`);
    }
  }
  if (t.filesChangedMs !== null && t.filesChangedMs > at) reasons.push('task files (workspace, solution or tests) changed since this run');
  const reviewWrite = t.reviewUpdatedMs !== null && t.taskFileChangedMs !== null && Math.abs(t.taskFileChangedMs - t.reviewUpdatedMs) <= REVIEW_WRITE_SLACK_MS;
  if (t.taskFileChangedMs !== null && t.taskFileChangedMs > at && !reviewWrite) reasons.push('task.yaml changed since this run');
  return reasons;
}

const lineState = (l: ResultLine): ResultRun['state'] => (l.error ? 'error' : l.passed ? 'passed' : 'failed');

/** One column of the side-by-side results. `verify`: the latest attempt's verify.json, if readable. */
export function resultColumn(kind: AgentKind, selected: SelectedRun | undefined, verify: VerifyResult | undefined, changes: TaskChanges): ResultColumn {
  if (!selected) return { kind, label: kind, run: null };
  const { run, latest } = selected;
  const label = kind === 'model' ? (run.model ? `${run.agent} · ${run.model}` : run.agent) : kind;
  const rewards = run.lines.map((l) => l.reward);
  const checks: Record<string, string> = {};
  for (const c of verify?.code.checks ?? []) checks[c.id] = c.score === null ? 'error' : formatScore(c.score);
  return {
    kind,
    label,
    run: {
      runId: run.runId,
      agent: run.agent,
      model: run.model ?? null,
      finishedAt: latest.finished_at,
      attempt: latest.attempt,
      attempts: run.lines.length,
      passed: run.lines.filter((l) => l.passed).length,
      reward: formatScore(rewards.reduce((a, b) => a + b, 0) / rewards.length),
      state: lineState(latest),
      error: latest.error,
      stale: staleReasons(latest.finished_at, verify?.code.checks.map((c) => c.id), changes),
      checks,
      rubric: verify ? (verify.rubric.score === null ? null : formatScore(verify.rubric.score)) : latest.rubric_score === null ? null : formatScore(latest.rubric_score),
      verification: verify !== undefined,
    },
  };
}

/** Rows of the side-by-side table: the task's checks in order, then ids only some result has. */
export function resultRows(taskCheckIds: readonly string[], columns: readonly ResultColumn[]): Array<{ id: string; inTask: boolean }> {
  const rows = taskCheckIds.map((id) => ({ id, inTask: true }));
  const seen = new Set(taskCheckIds);
  for (const c of columns) {
    for (const id of Object.keys(c.run?.checks ?? {})) {
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push({ id, inTask: false });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Checks, rubric, workspace

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));
const texts = (t: string | string[]): string[] => (Array.isArray(t) ? t : [t]);
const range = (min?: number, max?: number, equals?: number): string =>
  equals !== undefined ? `= ${equals}` : min !== undefined && max !== undefined ? `${min} … ${max}` : min !== undefined ? `≥ ${min}` : max !== undefined ? `≤ ${max}` : 'any';

function normalizeNote(n: { case?: boolean; whitespace?: boolean; trailing_newline?: boolean } | undefined): string {
  if (!n) return '';
  const parts = [n.case ? 'ignoring case' : '', n.whitespace ? 'collapsing whitespace' : '', n.trailing_newline === false ? 'trailing newline significant' : ''].filter(Boolean);
  return parts.length ? `\n(${parts.join(', ')})` : '';
}

function valueAssertions(c: { equals?: unknown; exists?: boolean; matches?: string; contains?: unknown; min?: number; max?: number; tolerance?: number }): string {
  const out: string[] = [];
  if (c.exists !== undefined) out.push(c.exists ? 'exists' : 'does not exist');
  if (c.equals !== undefined) out.push(`equals ${show(c.equals)}${c.tolerance !== undefined ? ` (± ${c.tolerance})` : ''}`);
  if (c.matches !== undefined) out.push(`matches /${c.matches}/`);
  if (c.contains !== undefined) out.push(`contains ${show(c.contains)}`);
  if (c.min !== undefined || c.max !== undefined) out.push(`in ${range(c.min, c.max)}`);
  return out.join('\n') || 'resolves';
}

/** A check as the panel lists it: type, what it looks at, and what it expects. */
export function checkView(c: Check, id: string): CheckView {
  const base = { id, type: c.type, weight: c.weight, description: c.description ?? null };
  switch (c.type) {
    case 'file_exists':
      return { ...base, target: c.path, expected: 'exists' };
    case 'file_absent':
      return { ...base, target: c.path, expected: 'absent' };
    case 'file_unchanged':
      return { ...base, target: c.path, expected: 'unchanged from the starting workspace' };
    case 'text_contains':
      return { ...base, target: c.path, expected: `contains all of:\n${texts(c.text).map((t) => `• ${t}`).join('\n')}${normalizeNote(c.normalize)}` };
    case 'text_not_contains':
      return { ...base, target: c.path, expected: `contains none of:\n${texts(c.text).map((t) => `• ${t}`).join('\n')}${normalizeNote(c.normalize)}` };
    case 'text_matches':
      return { ...base, target: c.path, expected: `matches /${c.pattern}/${c.flags}` };
    case 'text_equals':
      return { ...base, target: c.path, expected: `equals:\n${c.text}${normalizeNote(c.normalize)}` };
    case 'json_path':
    case 'yaml_path':
      return { ...base, target: `${c.path} ${c.query}`, expected: valueAssertions(c) };
    case 'csv': {
      const parts: string[] = [];
      if (c.columns) parts.push(`columns: ${c.columns.join(c.delimiter)}`);
      if (c.row_count !== undefined) parts.push(`rows: ${c.row_count}`);
      for (const cell of c.cells ?? []) parts.push(`row ${cell.row} ${cell.column} = ${show(cell.equals)}`);
      if (c.sorted_by) parts.push(`sorted by ${c.sorted_by.column} ${c.sorted_by.order}${c.sorted_by.numeric ? ' (numeric)' : ''}`);
      return { ...base, target: c.path, expected: parts.join('\n') || 'parses as CSV' };
    }
    case 'line_count':
      return { ...base, target: c.path, expected: `lines ${range(c.min, c.max, c.equals)}` };
    case 'no_unexpected_files':
      return { ...base, target: 'workspace', expected: c.allow.length ? `no new files except:\n${c.allow.join('\n')}` : 'no new files' };
    case 'command': {
      const parts = [`exit code ${c.exit_code}`];
      if (c.stdout_contains !== undefined) parts.push(`stdout contains ${show(c.stdout_contains)}`);
      if (c.stdout_matches !== undefined) parts.push(`stdout matches /${c.stdout_matches}/`);
      if (c.stdout_equals !== undefined) parts.push(`stdout equals ${show(c.stdout_equals)}`);
      return { ...base, target: c.run, expected: parts.join('\n') };
    }
    case 'script':
      return { ...base, target: c.run, expected: c.output === 'float' ? 'a score in [0,1] on the last stdout line' : c.output === 'json' ? 'a JSON dict of scores' : 'a score in [0,1] or a JSON dict of scores' };
    case 'pinchbench_grade':
      return { ...base, target: c.source ?? 'grade(transcript, workspace_path)', expected: `mean of grade()'s criteria:\n${c.code}` };
    case 'harbor_test':
      return { ...base, target: c.run, expected: 'reward in /logs/verifier/reward.txt or reward.json' };
    case 'tool_used':
      return { ...base, target: 'transcript', expected: `tool ${c.tool} called ≥ ${c.min} time(s)` };
    case 'turn_count':
      return { ...base, target: 'transcript', expected: `assistant turns ${range(c.min, c.max)}` };
  }
}

export function checkViews(spec: TaskSpec): CheckView[] {
  const ids = checkIds(spec.verify.checks);
  return spec.verify.checks.map((c, i) => checkView(c, ids[i]!));
}

export function rubricView(r: Rubric | null | undefined): RubricView | null {
  if (!r || (!r.rules.length && !r.text)) return null;
  const order = (k: string) => Number(k);
  return {
    scoreOptions: r.score_options,
    rules: r.rules.map((rule) => ({
      name: rule.name,
      file: rule.file_path ?? null,
      scores: Object.entries(rule.scores)
        .sort(([a], [b]) => order(a) - order(b))
        .map(([score, text]) => ({ score, text })),
    })),
    text: r.text ?? null,
  };
}

/** How many workspace files the panel lists; the rest are counted. */
export const WORKSPACE_FILE_LIMIT = 500;

/** Workspace files sorted as a tree reads (folders' files together), capped. */
export function workspaceFiles(files: readonly WorkspaceFileView[], limit = WORKSPACE_FILE_LIMIT): { files: WorkspaceFileView[]; total: number } {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const sorted = [...byPath.values()].sort((a, b) => {
    const pa = a.path.split('/');
    const pb = b.path.split('/');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      if (pa[i] === pb[i]) continue;
      // Folders first at each level, then by name.
      const aDir = i < pa.length - 1;
      const bDir = i < pb.length - 1;
      if (aDir !== bDir) return aDir ? -1 : 1;
      return pa[i]! < pb[i]! ? -1 : 1;
    }
    return pa.length - pb.length;
  });
  return { files: sorted.slice(0, limit), total: sorted.length };
}

// ---------------------------------------------------------------------------------------------
// The whole state

export interface ReviewInputs {
  entry: TaskEntry;
  spec: TaskSpec;
  location: string;
  workspace: { files: WorkspaceFileView[]; error: string | null };
  hasSolution: boolean;
  runs: Record<AgentKind, { selected: SelectedRun | undefined; verify: VerifyResult | undefined }>;
  changes: TaskChanges;
  queue: QueueView;
  trusted: boolean;
  running: 'oracle' | 'nop' | null;
  stale: string | null;
  loadError: string | null;
}

export function reviewState(i: ReviewInputs): ReviewState {
  const { spec, entry } = i;
  const checks = checkViews(spec);
  const results = AGENT_KINDS.map((k) => resultColumn(k, i.runs[k].selected, i.runs[k].verify, i.changes));
  const meta: Array<{ name: string; value: string }> = [];
  const add = (name: string, v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length) && meta.push({ name, value: Array.isArray(v) ? v.join(', ') : String(v) });
  add('category', spec.category);
  add('subcategory', spec.subcategory);
  add('difficulty', spec.difficulty);
  add('operations', spec.operations);
  add('tags', spec.tags);
  add('timeout', `${spec.timeout_sec} s`);
  add('mount', spec.mount);
  add('route', spec.provenance?.route);
  add('persona', spec.provenance?.persona);
  add('skills', spec.provenance?.skills);
  add('generator', spec.provenance?.generator);
  add('model', spec.provenance?.model);
  const reason = !i.trusted ? 'ClawGym runs no agent in an untrusted workspace.' : i.running ? `The ${i.running} is running.` : null;
  const ws = workspaceFiles(i.workspace.files);
  return {
    key: entry.key,
    taskId: spec.id,
    title: spec.title,
    format: entry.format,
    location: i.location,
    notReviewable: isReviewable(entry) ? null : `${spec.id} is a ${entry.format} task: convert it to a native task (clawgym convert --to native) to review it.`,
    instruction: spec.instruction,
    meta,
    review: {
      status: spec.review?.status ?? 'pending',
      notes: spec.review?.notes ?? null,
      reviewer: spec.review?.reviewer ?? null,
      updated: spec.review?.updated ?? null,
    },
    workspace: { ...ws, error: i.workspace.error },
    checks,
    rubric: rubricView(spec.verify.rubric),
    weights: { code: spec.verify.weights.code, rubric: spec.verify.weights.rubric, pass: spec.verify.pass },
    results,
    resultRows: resultRows(checks.map((c) => c.id), results),
    queue: i.queue,
    run: { oracle: i.trusted && !i.running && i.hasSolution, nop: i.trusted && !i.running, running: i.running, reason: reason ?? (i.hasSolution ? null : 'This task has no solution/solve.sh for the oracle.') },
    stale: i.stale,
    loadError: i.loadError,
  };
}
