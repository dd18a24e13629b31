/** verify.json: each check's expected, actual and message; the code and rubric parts; the reward. */
import { z } from 'zod';
import { ErrorKind } from '../errors.js';

export const CheckResult = z.object({
  id: z.string(),
  type: z.string(),
  weight: z.number(),
  /** 0–1, or null when the check could not be evaluated (see error). */
  score: z.number().min(0).max(1).nullable(),
  passed: z.boolean(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  message: z.string(),
  /** Set when the verifier itself failed (crash, garbage output, missing interpreter). */
  error: z.string().optional(),
  error_kind: ErrorKind.optional(),
  /** Named sub-scores (check.py's dict, grade()'s criteria, reward.json). */
  details: z.record(z.string(), z.number()).optional(),
  duration_ms: z.number(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const RuleJudgment = z.object({
  rule: z.string(),
  score: z.number().min(0).max(1),
  /** What the model answered before snapping to the score options. */
  raw_score: z.number(),
  reason: z.string(),
  file_path: z.string().optional(),
});
export type RuleJudgment = z.infer<typeof RuleJudgment>;

export const VerifyResult = z.object({
  task_id: z.string(),
  reward: z.number().min(0).max(1),
  passed: z.boolean(),
  pass_threshold: z.number(),
  code: z.object({ score: z.number().nullable(), checks: z.array(CheckResult) }),
  rubric: z.object({
    /** A judge that failed leaves it `not_judged` (excluded), with the failure in `error`. */
    status: z.enum(['absent', 'not_judged', 'judged']),
    score: z.number().nullable(),
    message: z.string(),
    /** Judged: one per rule (a free-text rubric is one rule, "overall"), score snapped to the options. */
    judgments: z.array(RuleJudgment).optional(),
    /** The judge model that answered. */
    model: z.string().optional(),
    /** The files the judge was shown (size-capped; notes say what was cut or unreadable). */
    files: z.array(z.object({ path: z.string(), bytes: z.number().nullable(), shown_bytes: z.number(), note: z.string().optional() })).optional(),
    /** The judge failed: what went wrong (never turned into a score). */
    error: z.string().optional(),
  }),
  /** The weights actually applied (a part that is absent or not judged is excluded and the rest renormalised). */
  weights_applied: z.object({ code: z.number(), rubric: z.number() }),
  error: z.string().nullable(),
  error_kind: ErrorKind.nullable(),
  duration_ms: z.number(),
  verified_at: z.string(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;
