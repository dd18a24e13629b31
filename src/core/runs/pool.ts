/** The in-process orchestrator: a pool of `concurrency` trials at once (default: one per core). */
import pLimit from 'p-limit';
import type { Orchestrator } from './orchestrator.js';
import type { ResultLine } from './records.js';
import { runTrial } from './trial.js';

export const inProcessPool: Orchestrator = {
  name: 'pool',
  async execute(run) {
    const { manifest, hooks } = run;
    const limit = pLimit(manifest.concurrency);
    const results: ResultLine[] = [];
    let interrupted = false;
    await Promise.all(
      run.todo.map(({ task, attempt }) =>
        limit(async () => {
          if (hooks.signal?.aborted) {
            interrupted = true;
            return;
          }
          hooks.onTrialStart?.(task, attempt);
          try {
            const line = await runTrial({
              task,
              attempt,
              agent: run.agent,
              sandbox: run.sandbox,
              runDir: run.runDir,
              timeoutMultiplier: manifest.timeout_multiplier,
              harnessRetries: manifest.harness_retries,
              limits: manifest.limits,
              judge: run.judge,
              signal: hooks.signal,
            });
            run.record(line);
            results.push(line);
            hooks.onResult?.(line);
          } catch (e) {
            if (hooks.signal?.aborted) interrupted = true;
            else throw e;
          }
        }),
      ),
    );
    return { results, interrupted };
  },
};
