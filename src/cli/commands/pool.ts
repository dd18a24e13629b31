/** `clawgym pool stats`: what a pool holds, how repetitive it is, how hard its families look, how well its checks kill mutants. */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command } from 'commander';
import { runPoolMutants } from '../../core/synth/filter/mutants.js';
import { formatPoolStats, poolStats } from '../../core/synth/pool/stats.js';
import { EXIT, printJson } from '../output.js';
import { onInterrupt } from '../interrupt.js';
import { fraction, positiveInt } from '../options.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';

export function registerPool(program: Command): void {
  const pool = program.command('pool').description('Inspect task pools.');
  pool
    .command('stats')
    .description(
      'Counts by category, family, route and difficulty; instruction near-duplicate rate at the dedup threshold; workspace duplicate rate; a difficulty estimate per family (steps, files the oracle touches, rules stated). With --mutants: each task\'s mutant solutions and oracle are run, for the kill rate (wrong mutants scoring < 1) per family and measured files.',
    )
    .argument('<pool...>', 'task folders or folders of tasks (any format)')
    .option('--dedup-threshold <x>', 'Jaccard similarity (word 3-shingles) at which two texts are near-duplicates', fraction, 0.8)
    .option('--mutants', 'run every task\'s mutant solutions and its oracle in the sandbox (kill rate, files touched)')
    .option('--mutants-dir <dir>', 'keep the mutants\' outcomes here and reuse those already there (e.g. a filter\'s <out>/.filter/mutants); default: a temporary folder')
    .option('-c, --concurrency <n>', 'trials at once with --mutants (default: number of cores)', positiveInt)
    .addOption(sandboxOption('where the mutants run'))
    .option('--json', 'print the stats as JSON')
    .action(async (paths: string[], o) => {
      const want = !!o.mutants || !!o.mutantsDir;
      const sandbox = want ? await openSandbox(o.sandbox) : undefined;
      const dir = o.mutantsDir ? resolve(o.mutantsDir) : want ? await mkdtemp(join(tmpdir(), 'clawgym-mutants-')) : undefined;
      const interrupt = onInterrupt(o.mutantsDir ? 'interrupted: rerun the same command to continue' : 'interrupted');
      try {
        let done = 0;
        const { errors, ...stats } = await poolStats(
          paths.map((p) => resolve(p)),
          o.dedupThreshold,
          sandbox && dir
            ? async (tasks) => {
                const r = await runPoolMutants(tasks, {
                  sandbox,
                  dir,
                  concurrency: o.concurrency ?? availableParallelism(),
                  signal: interrupt.signal,
                  oracle: true,
                  onTask: o.json ? undefined : () => (++done % 100 === 0 || done === tasks.length) && process.stderr.write(`mutants: ${done}/${tasks.length} task(s)\n`),
                });
                return r.outcomes;
              }
            : undefined,
        );
        if (interrupt.signal.aborted) {
          process.exitCode = EXIT.interrupted;
          return;
        }
        if (o.json) printJson(stats);
        else process.stdout.write(`${formatPoolStats(stats)}\n`);
        process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
      } finally {
        interrupt.dispose();
        if (dir && !o.mutantsDir) await rm(dir, { recursive: true, force: true });
      }
    });
}
