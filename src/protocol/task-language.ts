/**
 * What the task.yaml language client and server agree on: the language id, which documents the
 * server serves, and the quick-fix data a diagnostic carries. That data makes a round trip through
 * the client (it comes back in a code-action request), so the server parses it before use.
 */
import { z } from 'zod';

/** Contributed in package.json for files named task.yaml (the TextMate grammar's language). */
export const TASK_LANGUAGE_ID = 'clawgym-task';
/** Also served when a user association makes a task.yaml plain `yaml`. */
export const TASK_FILE_PATTERN = '**/task.yaml';

/** Diagnostic codes, shown in the Problems panel beside the message. */
export const DiagnosticCode = {
  yamlSyntax: 'yaml-syntax',
  duplicateKey: 'duplicate-key',
  schema: 'schema',
  unknownKey: 'unknown-key',
  unknownCheckType: 'unknown-check-type',
  duplicateId: 'duplicate-id',
  outOfRange: 'out-of-range',
  pathNotInWorkspace: 'path-not-in-workspace',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

const Position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });

/** One obvious fix: replace `range` with `newText`. */
export const QuickFix = z.object({
  title: z.string(),
  range: z.object({ start: Position, end: Position }),
  newText: z.string(),
});
export type QuickFix = z.infer<typeof QuickFix>;

/** A diagnostic's `data`. */
export const DiagnosticData = z.object({ fixes: z.array(QuickFix) });
export type DiagnosticData = z.infer<typeof DiagnosticData>;
