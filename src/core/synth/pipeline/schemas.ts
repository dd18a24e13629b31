/** What the model must answer at each stage (zod: validated, and quoted back when it is wrong). */
import { z } from 'zod';
import { Check, RubricRule, WorkspacePath } from '../../task/schema.js';

const MAX_WORKSPACE_BYTES = 256 * 1024;

export const DraftFile = z.object({ path: WorkspacePath, content: z.string() });

export const Draft = z
  .object({
    title: z.string().min(3).max(140),
    instruction: z.string().min(20).describe('What the user asks, in their voice.'),
    workspace_files: z.array(DraftFile).max(40),
    expected_behavior: z.string().min(10),
    difficulty: z.number().int().min(1).max(5),
    /** The reference solution: a bash script run in the workspace; kept hidden as solution/solve.sh. */
    solution: z.string().min(1),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.workspace_files.forEach((f, i) => {
      if (seen.has(f.path)) ctx.addIssue({ code: 'custom', path: ['workspace_files', i, 'path'], message: `duplicate path ${f.path}` });
      seen.add(f.path);
    });
    const bytes = d.workspace_files.reduce((a, f) => a + Buffer.byteLength(f.content), 0);
    if (bytes > MAX_WORKSPACE_BYTES) ctx.addIssue({ code: 'custom', path: ['workspace_files'], message: `workspace is ${bytes} bytes; keep it under ${MAX_WORKSPACE_BYTES}` });
  });
export type Draft = z.infer<typeof Draft>;

/** Checks the model may write: declarative ones and commands; scripts only as check_py. */
const WRITABLE = new Set(['file_exists', 'file_absent', 'file_unchanged', 'text_contains', 'text_not_contains', 'text_matches', 'text_equals', 'json_path', 'yaml_path', 'csv', 'line_count', 'no_unexpected_files', 'command']);

export const VerifierAnswer = z
  .object({
    checks: z.array(Check).default([]),
    /** Python 3 (stdlib) run as `python3 /tests/check.py` in the workspace; prints a JSON dict of scores. */
    check_py: z.string().nullable().optional(),
    /** A corrected reference solution, when the old one was wrong. */
    solution: z.string().min(1).optional(),
  })
  .superRefine((v, ctx) => {
    v.checks.forEach((c, i) => {
      if (!WRITABLE.has(c.type)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'type'], message: `${c.type} checks are not allowed here; put script logic in check_py` });
    });
    const scored = v.checks.some((c) => c.weight > 0) || !!v.check_py?.trim();
    if (!scored) ctx.addIssue({ code: 'custom', path: ['checks'], message: 'no scored check: give checks with weight > 0 or a check_py' });
    const ids = v.checks.map((c, i) => c.id ?? `${c.type}_${i + 1}`);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i || id === 'check_py');
    if (dup) ctx.addIssue({ code: 'custom', path: ['checks'], message: `check id "${dup}" is used twice (or is the reserved "check_py")` });
  });
export type VerifierAnswer = z.infer<typeof VerifierAnswer>;

export const JudgeAnswer = z.object({
  /** The instruction or the starting workspace gives away what the agent is supposed to produce. */
  answer_leak: z.boolean(),
  /** Statements in the task or its files that are false or inconsistent with each other. */
  factual_errors: z.array(z.string()).default([]),
  verdict: z.enum(['accept', 'reject']),
  reason: z.string(),
});
export type JudgeAnswer = z.infer<typeof JudgeAnswer>;

export const RubricAnswer = z.object({
  /** Only qualities the code checks cannot verify (tone, clarity, helpfulness…); may be empty. */
  rules: z.array(RubricRule).max(4).default([]),
});
export type RubricAnswer = z.infer<typeof RubricAnswer>;

export const SkillAnnotation = z.object({
  inputs: z.array(z.string()).default([]),
  outputs: z.array(z.string()).default([]),
  needs_credentials: z.boolean(),
  needs_media: z.boolean(),
  summary: z.string().default(''),
});
export type SkillAnnotation = z.infer<typeof SkillAnnotation>;
