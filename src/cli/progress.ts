/** Run progress: a bar on a TTY, plain lines otherwise, JSON lines with --json. */
import cliProgress from 'cli-progress';
import type { ResultLine } from '../core/runs/records.js';
import { colors, printJson } from './output.js';

export interface Progress {
  start(total: number, done: number): void;
  /** A trial begins (JSON lines only: machines such as the VS Code extension follow it). */
  trialStart?(taskId: string, attempt: number): void;
  result(line: ResultLine): void;
  stop(): void;
}

export function createProgress(mode: 'json' | 'tty' | 'plain'): Progress {
  if (mode === 'json') {
    return {
      start() {},
      trialStart: (task_id, attempt) => printJson({ event: 'trial_start', task_id, attempt }),
      result: (l) => printJson({ event: 'result', ...l }),
      stop() {},
    };
  }
  if (mode === 'plain') {
    let n = 0;
    let total = 0;
    return {
      start(t, d) {
        total = t + d;
        n = d;
      },
      result(l) {
        n++;
        const status = l.error ? colors.red(`error (${l.error_kind})`) : l.passed ? colors.green('pass') : 'fail';
        process.stderr.write(`[${n}/${total}] ${l.task_id}#${l.attempt} reward=${l.reward.toFixed(3)} ${status} ${(l.timings.total_ms / 1000).toFixed(1)}s\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {value}/{total} trials | passed {passed} | errors {errors} | {eta_formatted} left', hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let passed = 0;
  let errors = 0;
  return {
    start(total, done) {
      bar.start(total + done, done, { passed, errors });
    },
    result(l) {
      if (l.passed) passed++;
      if (l.error) errors++;
      bar.increment(1, { passed, errors });
    },
    stop() {
      bar.stop();
    },
  };
}

/** A plain counter for long non-trial work (synthesis, filters): a bar on a TTY, a line every 10% otherwise. */
export function createCounter(mode: 'tty' | 'plain' | 'json' | 'quiet', unit: string, total: number): { tick(): void; stop(): void } {
  if (mode === 'json' || mode === 'quiet' || total === 0) return { tick() {}, stop() {} };
  if (mode === 'plain') {
    let n = 0;
    const step = Math.max(1, Math.ceil(total / 10));
    return {
      tick() {
        n++;
        if (n % step === 0 || n === total) process.stderr.write(`${n}/${total} ${unit}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: ` {bar} {value}/{total} ${unit} | {eta_formatted} left`, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
