/**
 * Messages between the extension host and the run comparison webview (two runs side by side, as
 * `clawgym compare` computes them). Every string is run or task text: the webview sets it as text.
 */
import { z } from 'zod';

export const CompareSide = z.object({
  runId: z.string(),
  agent: z.string(),
  /** Where the run folder is, relative to the workspace when inside it. */
  location: z.string(),
  createdAt: z.string(),
});
export type CompareSide = z.infer<typeof CompareSide>;

export const Tone = z.enum(['worse', 'better', 'same']);
export type Tone = z.infer<typeof Tone>;

export const HeadlineRow = z.object({
  label: z.string(),
  aPass: z.string(),
  bPass: z.string(),
  deltaPass: z.string(),
  passTone: Tone,
  aReward: z.string(),
  bReward: z.string(),
  deltaReward: z.string(),
  rewardTone: Tone,
});
export type HeadlineRow = z.infer<typeof HeadlineRow>;

export const CompareRow = z.object({
  taskId: z.string(),
  category: z.string().nullable(),
  kind: z.enum(['regression', 'gain', 'unchanged']),
  aReward: z.string(),
  bReward: z.string(),
  deltaReward: z.string(),
  aPass: z.string(),
  bPass: z.string(),
  aAttempts: z.number().int(),
  bAttempts: z.number().int(),
});
export type CompareRow = z.infer<typeof CompareRow>;

export const CompareState = z.object({
  a: CompareSide,
  b: CompareSide,
  threshold: z.number(),
  headline: z.array(HeadlineRow),
  /** Regressions (worst first), then gains (biggest first), then unchanged tasks (by id). */
  rows: z.array(CompareRow),
  counts: z.object({ regressions: z.number().int(), gains: z.number().int(), unchanged: z.number().int() }),
  onlyInA: z.array(z.string()),
  onlyInB: z.array(z.string()),
});
export type CompareState = z.infer<typeof CompareState>;

/** Host → webview. */
export type HostMessage = { type: 'state'; state: CompareState } | { type: 'notice'; text: string };

/** Webview → host, validated on arrival. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Open the Verification view of a task's latest trial in run A or B. */
  z.object({ type: z.literal('openTrial'), side: z.enum(['a', 'b']), taskId: z.string().min(1).max(4096) }),
  /** Swap A and B. */
  z.object({ type: z.literal('swap') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;
