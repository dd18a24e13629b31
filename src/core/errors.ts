/** Typed errors that carry their context. `kind` says who is at fault, which decides retries. */
import { z } from 'zod';

/**
 * Who is at fault (written into results.jsonl and verify.json, so one schema):
 * task — the task's own files are malformed (bad YAML, schema, missing reward.sh);
 * verifier — the task's verifier crashed or printed garbage;
 * harness — our infrastructure failed (sandbox, missing interpreter): retried, counted apart;
 * usage — the user asked for something impossible;
 * not_judged — only an LLM rubric could score this and no judge ran;
 * judge — the LLM rubric judge failed (model error after retries, invalid answer after the repair).
 */
export const ErrorKind = z.enum(['task', 'verifier', 'harness', 'usage', 'not_judged', 'judge']);
export type ErrorKind = z.infer<typeof ErrorKind>;

export class ClawgymError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.kind = kind;
  }
}

export interface SourcePosition {
  file: string;
  line?: number; // 1-based
  column?: number; // 1-based
}

export function formatPosition(p: SourcePosition): string {
  return p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
}

export interface TaskProblem extends SourcePosition {
  message: string;
  /** Byte offsets of the offending node, for editors. */
  range?: [number, number];
  /** What kind of problem (a zod issue code, `yaml_syntax`, `duplicate_key`, `duplicate_id`…), for editors' quick fixes. */
  code?: string;
  /** Where in the document's data the problem is (keys and sequence indexes). */
  path?: (string | number)[];
}

/** A task could not be loaded. Lists every problem found, each with file:line:column. */
export class TaskLoadError extends ClawgymError {
  readonly problems: TaskProblem[];
  /** The task (folder or file) that failed to load, when known: editors keep showing it there. */
  source?: string;
  /** The format it was loaded as (a `TaskFormat`), when known. */
  format?: string;
  constructor(problems: TaskProblem[], source?: string) {
    super('task', problems.map((p) => `${formatPosition(p)}: ${p.message}`).join('\n'));
    this.problems = problems;
    this.source = source;
  }
  get file(): string {
    return this.problems[0]?.file ?? '';
  }
}

export class SandboxUnavailableError extends ClawgymError {
  constructor(message: string) {
    super('harness', message);
  }
}

export class HarnessError extends ClawgymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('harness', message, options);
  }
}

export class VerifierError extends ClawgymError {
  constructor(message: string) {
    super('verifier', message);
  }
}

/** The rubric judge could not judge: never turned into a score, reported as the judge's failure. */
export class JudgeError extends ClawgymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('judge', message, options);
  }
}

export class UsageError extends ClawgymError {
  constructor(message: string) {
    super('usage', message);
  }
}

/**
 * A model endpoint failed. Configuration mistakes (401/403/404) are the user's; what is left after
 * retries of 429/5xx/timeouts is infrastructure (harness: the trial is retried, counted apart).
 * Other 4xx (e.g. a context overflow) reach the agent as an ordinary end of its run.
 */
export class LlmError extends ClawgymError {
  readonly status: number | undefined;
  readonly attempts: number;
  constructor(message: string, opts: { status?: number; attempts: number; cause?: unknown }) {
    const s = opts.status;
    super(s === 401 || s === 403 || s === 404 ? 'usage' : 'harness', message, { cause: opts.cause });
    this.status = s;
    this.attempts = opts.attempts;
  }
  /** The request itself was refused (4xx other than auth/not-found/rate limits). */
  get rejected(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500 && this.kind === 'harness' && this.status !== 429 && this.status !== 408;
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An export line failed its format's rules: nothing is written (the output is all or nothing). */
export class ExportFormatError extends ClawgymError {
  constructor(
    readonly format: string,
    readonly source: string,
    readonly issues: string[],
  ) {
    super('task', `${source}: the ${format} line breaks the format's rules: ${issues.join('; ')} (nothing written)`);
  }
}
