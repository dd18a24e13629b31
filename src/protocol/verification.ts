/**
 * Messages between the extension host and the Verification webview. The webview is untrusted
 * input to the host: everything it sends is parsed with these schemas before use. The host's
 * messages are typed here too, and the webview renders every string with textContent.
 */
import { z } from 'zod';

export const CheckRow = z.object({
  id: z.string(),
  type: z.string(),
  weight: z.number(),
  /** "0.50", or "error" when the check could not be evaluated. */
  score: z.string(),
  state: z.enum(['passed', 'failed', 'error']),
  message: z.string(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  details: z.array(z.object({ name: z.string(), score: z.string() })),
  durationMs: z.number(),
  /** What the check allows (from task.yaml): "± 0.01", "between 3 and 5", "case-insensitive"… */
  tolerance: z.string().optional(),
  /** The check's line in task.yaml (1-based), when the task has one: the row links there. */
  line: z.number().int().positive().optional(),
});
export type CheckRow = z.infer<typeof CheckRow>;

export const VerificationSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trial'), runId: z.string(), trialDir: z.string(), agent: z.string(), attempt: z.number() }),
  z.object({ kind: z.literal('folder'), folder: z.string() }),
]);
export type VerificationSource = z.infer<typeof VerificationSource>;

export const VerificationState = z.object({
  taskId: z.string(),
  source: VerificationSource,
  status: z.enum(['passed', 'failed', 'error']),
  /** The reward with two decimals. */
  score: z.string(),
  passThreshold: z.number(),
  error: z.string().nullable(),
  checks: z.array(CheckRow),
  rubric: z.object({
    status: z.enum(['absent', 'not_judged', 'judged']),
    score: z.string().nullable(),
    message: z.string(),
    model: z.string().nullable(),
    /** The judge failed (its failure is not a score). */
    error: z.string().nullable(),
    judgments: z.array(z.object({ rule: z.string(), score: z.string(), reason: z.string(), file: z.string().nullable() })),
  }),
  weights: z.object({ code: z.number(), rubric: z.number() }),
  timings: z.array(z.object({ phase: z.string(), ms: z.number() })),
  agentExit: z.string().nullable(),
  /** The agent crashed (the result line's agent_crash): shown as a warning beside the score, which stays the verifier's. */
  agentCrash: z.string().nullable().default(null),
  verifiedAt: z.string(),
});
export type VerificationState = z.infer<typeof VerificationState>;

/** Host → webview. */
export type HostMessage = { type: 'state'; state: VerificationState } | { type: 'busy'; message: string | null };

/** Webview → host, validated on arrival. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('reverify') }),
  z.object({ type: z.literal('openFile'), path: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('revealFolder') }),
  /** Trial sources: open the trial's trajectory in the debugger. */
  z.object({ type: z.literal('openTrajectory') }),
  /** Open task.yaml at a check (by id). */
  z.object({ type: z.literal('openCheck'), id: z.string().min(1).max(512) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** Parse a message from the webview; undefined for anything malformed (logged, then dropped). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  const r = WebviewMessage.safeParse(raw);
  return r.success ? r.data : undefined;
}
