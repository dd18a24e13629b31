/** Option value parsers shared by the commands: a bad value is commander's usage error (exit 2). */
import { InvalidArgumentError, type Command } from 'commander';

/** A whole number ≥ min. */
export const wholeNumber =
  (min: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number ≥ ${min}`);
    return n;
  };

export const positiveInt = wholeNumber(1);

export const positiveNumber = (v: string): number => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('must be a number > 0');
  return n;
};

/** A similarity threshold: (0, 1]. */
export const fraction = (v: string): number => {
  const n = Number(v);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('must be a number in (0, 1]');
  return n;
};

/** A reward: [0, 1]. */
export const unitInterval = (v: string): number => {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a number in [0, 1]');
  return n;
};

export const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be 0–65535 (0: any free port)');
  return n;
};

/** For repeatable options. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Which tasks of the given paths take part (run, serve env): globs over task ids. */
export function addTaskFilters(cmd: Command): Command {
  return cmd.option('--include <glob>', 'only task ids matching (repeatable)', collect, []).option('--exclude <glob>', 'skip task ids matching (repeatable)', collect, []);
}

/** Every task's timeout scaled (run, serve env). */
export function addTimeoutMultiplier(cmd: Command, what = "scale every task's timeout"): Command {
  return cmd.option('--timeout-multiplier <x>', what, positiveNumber, 1);
}
