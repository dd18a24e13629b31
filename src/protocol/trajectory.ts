/**
 * Messages between the extension host and the trajectory debugger webview. The host owns the
 * debugger's state (src/extension/model/trajectory-debugger.ts); the webview renders rows and the
 * selected step, and sends intents (navigate, select, open a diff) that are parsed with these
 * schemas before use. Every string here is agent or task text: the webview sets it as text only.
 */
import { z } from 'zod';

export const RowKind = z.enum(['system', 'user', 'agent', 'tool_call', 'observation']);
export type RowKind = z.infer<typeof RowKind>;

/** One line of the timeline. A step (an ATIF step) is an agent row plus its calls and results. */
export const TimelineRow = z.object({
  /** Stable across live updates and the switch from events to trajectory.json. */
  key: z.string(),
  kind: RowKind,
  /** Index of the step in the debugger's step list. */
  step: z.number().int().nonnegative(),
  /** "#5" (ATIF step id) or "t3" (agent turn, while only events are known). */
  label: z.string(),
  /** Tool name, or the kind of step. */
  title: z.string(),
  /** One line, cut short. */
  summary: z.string(),
  /** A tool call whose result is an error, and that result. */
  error: z.boolean(),
  /** Agent rows only: prompt + completion tokens and cost of the step's model call. */
  tokens: z.number().nullable(),
  costUsd: z.number().nullable(),
  /** Agent rows only: workspace files the step changed. */
  changed: z.number().int().nonnegative(),
});
export type TimelineRow = z.infer<typeof TimelineRow>;

export const ToolCallDetail = z.object({
  id: z.string(),
  name: z.string(),
  /** Pretty JSON (or the raw text the model sent when it was not JSON). */
  arguments: z.string(),
  /** The observation, or null while it has not arrived (live). */
  result: z.string().nullable(),
  error: z.boolean(),
  ms: z.number().nullable(),
});
export type ToolCallDetail = z.infer<typeof ToolCallDetail>;

export const SnapshotDetail = z.object({
  /** The snapshot before this step (the previous step's state), and after it; equal when nothing changed. */
  before: z.string().nullable(),
  after: z.string().nullable(),
  changed: z.array(z.string()),
  /** Whether the file contents can be shown (snapshots.git is in the trial folder). */
  available: z.boolean(),
  /** Why there is no diff, when there is none. */
  note: z.string().nullable(),
});
export type SnapshotDetail = z.infer<typeof SnapshotDetail>;

export const StepDetail = z.object({
  step: z.number().int().nonnegative(),
  stepId: z.number().int().nullable(),
  /** The agent turn (model call number, as in events.jsonl and the snapshot commits). */
  turn: z.number().int().nullable(),
  source: z.enum(['system', 'user', 'agent']),
  timestamp: z.string().nullable(),
  model: z.string().nullable(),
  message: z.string(),
  reasoning: z.string().nullable(),
  calls: z.array(ToolCallDetail),
  /** Observation results not tied to a tool call. */
  otherResults: z.array(z.string()),
  metrics: z
    .object({ promptTokens: z.number().nullable(), completionTokens: z.number().nullable(), cachedTokens: z.number().nullable(), costUsd: z.number().nullable() })
    .nullable(),
  /** Wall time of the step and of its model call, when recorded. */
  timing: z.object({ stepMs: z.number().nullable(), llmMs: z.number().nullable() }).nullable(),
  finishReason: z.string().nullable(),
  snapshot: SnapshotDetail,
  /** The tool call the selected row is about, if any (the view scrolls to it). */
  focusCall: z.string().nullable(),
  /** Some text was cut to keep the message small. */
  truncated: z.boolean(),
});
export type StepDetail = z.infer<typeof StepDetail>;

export const TrajectoryHeader = z.object({
  title: z.string(),
  /** The trajectory file or trial folder shown. */
  source: z.string(),
  agent: z.string(),
  model: z.string().nullable(),
  steps: z.number().int().nonnegative(),
  toolCalls: z.number().int().nonnegative(),
  failedCalls: z.number().int().nonnegative(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  costUsd: z.number().nullable(),
  /** Following events.jsonl of a trial still running. */
  live: z.boolean(),
  endReason: z.string().nullable(),
  snapshots: z.boolean(),
});
export type TrajectoryHeader = z.infer<typeof TrajectoryHeader>;

export const NavigateAction = z.enum(['next', 'prev', 'nextStep', 'prevStep', 'first', 'last', 'firstFailure', 'nextFailure', 'prevFailure']);
export type NavigateAction = z.infer<typeof NavigateAction>;

/** Host → webview. */
export type HostMessage =
  /** Everything (first load, the switch from live events to trajectory.json, a reload of the view). */
  | { type: 'init'; header: TrajectoryHeader; rows: TimelineRow[]; selected: number; follow: boolean }
  /** Live: rows from `from` on are replaced by `rows` (the last step grows, new steps are appended). */
  | { type: 'rows'; header: TrajectoryHeader; from: number; rows: TimelineRow[] }
  | { type: 'selection'; index: number; follow: boolean; detail: StepDetail | null }
  | { type: 'notice'; text: string }
  | { type: 'error'; text: string };

/** Webview → host, validated on arrival. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('navigate'), action: NavigateAction }),
  z.object({ type: z.literal('select'), index: z.number().int().nonnegative() }),
  /** Ask for a file (quick pick) and jump to the last step that changed it. */
  z.object({ type: z.literal('pickFile') }),
  /** Jump to the last step before `before` (a step index) that changed `path`. */
  z.object({ type: z.literal('lastTouch'), path: z.string().min(1).max(4096), before: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal('openDiff'), step: z.number().int().nonnegative(), path: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('setFollow'), follow: z.boolean() }),
  /** The first render, measured in the webview: from the state's arrival to rows on screen. */
  z.object({ type: z.literal('rendered'), ms: z.number().nonnegative(), pageMs: z.number().nonnegative(), rows: z.number().int().nonnegative(), domRows: z.number().int().nonnegative() }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** Parse a message from the webview; undefined for anything malformed (logged, then dropped). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  const r = WebviewMessage.safeParse(raw);
  return r.success ? r.data : undefined;
}
