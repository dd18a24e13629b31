/** Terminal conventions: colour only on a TTY without NO_COLOR, exit codes that mean something. */
import pc from 'picocolors';
import type { TaskLoadError } from '../core/errors.js';

export const EXIT = {
  ok: 0,
  /** An unexpected internal failure. */
  internal: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** Some tasks could not be loaded, or their verifiers failed. */
  taskErrors: 3,
  /** The sandbox is unavailable, or harness errors remained after retries. */
  harness: 4,
  /** Interrupted (Ctrl-C); the run can be resumed. */
  interrupted: 130,
} as const;

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

export const colors = pc.createColors(useColor(process.stderr));

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function warn(msg: string): void {
  process.stderr.write(`${colors.yellow(msg)}\n`);
}

export function fail(msg: string): void {
  process.stderr.write(`${colors.red('error:')} ${msg}\n`);
}

/**
 * For `command.exitOverride(usageExit)`: commander's own parse errors (a missing option, a bad
 * choice) exit with EXIT.usage instead of commander's 1 (which means an internal failure here).
 * Set on a command group before its subcommands are added: they inherit it.
 */
export function usageExit(err: { exitCode: number }): never {
  process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
}

/** Tasks that could not be loaded: one line per problem, each with file:line:column. */
export function printLoadErrors(errors: readonly TaskLoadError[]): void {
  for (const e of errors) for (const line of e.message.split('\n')) process.stderr.write(`${colors.red('task error:')} ${line}\n`);
}
