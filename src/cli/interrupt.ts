/**
 * Ctrl-C and SIGTERM, the same way in every command: the first one asks the work to stop
 * cleanly (what finished is kept; the message says how to continue), a second one exits at once
 * with EXIT.interrupted.
 */
import { EXIT } from './output.js';

export interface Interrupt {
  /** Aborted at the first Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  /** Stop listening (call in a finally). */
  dispose(): void;
}

/** Work that can be stopped: `message` is printed at the first interrupt (e.g. how to resume). */
export function onInterrupt(message: string, opts: { onFirst?: () => void } = {}): Interrupt {
  const ac = new AbortController();
  let count = 0;
  const handler = () => {
    count++;
    if (count > 1) process.exit(EXIT.interrupted);
    ac.abort();
    process.stderr.write(`\n${message}\n`);
    opts.onFirst?.();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** A server or worker that runs until interrupted: resolves once `stop` (its clean shutdown) is done. */
export function serveUntilInterrupted(stop: () => Promise<void>, message?: string): Promise<void> {
  return new Promise<void>((done) => {
    const it = onInterrupt(message ?? 'stopping (Ctrl-C again to stop now)', {
      onFirst: () => {
        void stop().then(() => {
          it.dispose();
          done();
        });
      },
    });
  });
}
