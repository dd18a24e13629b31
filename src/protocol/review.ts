/**
 * Messages between the extension host and the Task Review webview. The webview is untrusted input
 * to the host: everything it sends is parsed with these schemas before use, and every message that
 * acts on a task names the task it was shown (a click racing a switch to the next task is dropped).
 * The webview renders every string of the state with textContent, never as HTML.
 */
import { z } from 'zod';
import { ReviewStatus } from '../core/task/schema.js';

/** What a reviewer can decide in the panel (`pending` is what a task starts as). */
export const ReviewDecision = z.enum(['accepted', 'rejected', 'needs_edit']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** The three result columns: the oracle, the nop agent, and any other agent ("model"). */
export const AgentKind = z.enum(['oracle', 'nop', 'model']);
export type AgentKind = z.infer<typeof AgentKind>;
export const AGENT_KINDS: readonly AgentKind[] = AgentKind.options;

/** The agents the panel can run itself (sanity agents; model runs go through Run Agent on Task). */
export const PanelAgent = z.enum(['oracle', 'nop']);
export type PanelAgent = z.infer<typeof PanelAgent>;

export const CheckView = z.object({
  id: z.string(),
  type: z.string(),
  /** What the check looks at: a path (and query), a command line, a tool, the transcript. */
  target: z.string(),
  /** What it wants, in words and values. */
  expected: z.string(),
  weight: z.number(),
  description: z.string().nullable(),
});
export type CheckView = z.infer<typeof CheckView>;

export const RubricView = z.object({
  scoreOptions: z.array(z.number()),
  rules: z.array(z.object({ name: z.string(), file: z.string().nullable(), scores: z.array(z.object({ score: z.string(), text: z.string() })) })),
  /** A free-text rubric (PinchBench). */
  text: z.string().nullable(),
});
export type RubricView = z.infer<typeof RubricView>;

export const WorkspaceFileView = z.object({
  /** Relative to the workspace root, `/`-separated. */
  path: z.string(),
  bytes: z.number().nullable(),
  /** A real file the editor can open (inline content of an imported task cannot be). */
  openable: z.boolean(),
});
export type WorkspaceFileView = z.infer<typeof WorkspaceFileView>;

export const ResultRun = z.object({
  runId: z.string(),
  agent: z.string(),
  model: z.string().nullable(),
  finishedAt: z.string(),
  /** The attempt whose verification the check scores come from (the latest one). */
  attempt: z.number(),
  attempts: z.number(),
  passed: z.number(),
  /** Mean reward over the run's attempts of this task, two decimals. */
  reward: z.string(),
  state: z.enum(['passed', 'failed', 'error']),
  error: z.string().nullable(),
  /** Why this result may no longer describe the task (empty: current). */
  stale: z.array(z.string()),
  /** Check id → score ("1.00", "error"); from the attempt's verify.json. */
  checks: z.record(z.string(), z.string()),
  rubric: z.string().nullable(),
  /** verify.json is there (the Verification view can show it). */
  verification: z.boolean(),
});
export type ResultRun = z.infer<typeof ResultRun>;

export const ResultColumn = z.object({
  kind: AgentKind,
  /** "oracle", "nop", or the agent (and model) of the latest model run. */
  label: z.string(),
  run: ResultRun.nullable(),
});
export type ResultColumn = z.infer<typeof ResultColumn>;

export const QueueView = z.object({
  /** 1-based; 0 when the task is not in the queue (e.g. opened from elsewhere). */
  position: z.number().int().min(0),
  length: z.number().int().min(0),
  /** The Tasks view's review filter the queue follows. */
  filter: z.string(),
  prev: z.string().nullable(),
  next: z.string().nullable(),
});
export type QueueView = z.infer<typeof QueueView>;

export const ReviewState = z.object({
  /** The task's unique key (pool + id); echoed back by the webview's actions. */
  key: z.string(),
  taskId: z.string(),
  title: z.string(),
  format: z.string(),
  /** Where the task lives, relative to the workspace when inside it. */
  location: z.string(),
  /** Why decisions are disabled (a task that is not native has no task.yaml to write). */
  notReviewable: z.string().nullable(),
  instruction: z.string(),
  meta: z.array(z.object({ name: z.string(), value: z.string() })),
  review: z.object({ status: ReviewStatus, notes: z.string().nullable(), reviewer: z.string().nullable(), updated: z.string().nullable() }),
  workspace: z.object({ files: z.array(WorkspaceFileView), total: z.number(), error: z.string().nullable() }),
  checks: z.array(CheckView),
  rubric: RubricView.nullable(),
  weights: z.object({ code: z.number(), rubric: z.number(), pass: z.number() }),
  results: z.array(ResultColumn),
  /** Rows of the side-by-side table: the task's check ids, then ids only a result has. */
  resultRows: z.array(z.object({ id: z.string(), inTask: z.boolean() })),
  queue: QueueView,
  run: z.object({ oracle: z.boolean(), nop: z.boolean(), running: PanelAgent.nullable(), reason: z.string().nullable() }),
  /** Set when task.yaml changed on disk since the panel read it (decisions are then refused). */
  stale: z.string().nullable(),
  /** task.yaml could not be read or is not a valid task right now. */
  loadError: z.string().nullable(),
});
export type ReviewState = z.infer<typeof ReviewState>;

/** Host → webview. */
export type HostMessage =
  | { type: 'state'; state: ReviewState }
  | { type: 'busy'; message: string | null }
  | { type: 'notice'; level: 'info' | 'error'; message: string; key: string };

const Key = z.string().min(1).max(8192);

/** Webview → host, validated on arrival. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('decide'), key: Key, status: ReviewDecision, note: z.string().max(20_000) }),
  z.object({ type: z.literal('navigate'), key: Key, delta: z.union([z.literal(1), z.literal(-1)]) }),
  z.object({ type: z.literal('reload'), key: Key }),
  z.object({ type: z.literal('run'), key: Key, agent: PanelAgent }),
  z.object({ type: z.literal('openFile'), key: Key, path: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('openTaskFile'), key: Key }),
  z.object({ type: z.literal('showResult'), key: Key, kind: AgentKind }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** Parse a message from the webview; undefined for anything malformed (logged, then dropped). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  const r = WebviewMessage.safeParse(raw);
  return r.success ? r.data : undefined;
}
