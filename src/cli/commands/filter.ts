/** `clawgym filter`: admit the sound tasks of a pool; report what was dropped and why. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { filterPool } from '../../core/synth/filter/filter.js';
import { parseQuotas } from '../../core/synth/filter/quota.js';
import { DEFAULT_FILTERS, FILTER_NAMES, formatFilterReport } from '../../core/synth/filter/report.js';
import { EXIT, printJson } from '../output.js';
import { onInterrupt } from '../interrupt.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';
import { collect, fraction, positiveInt } from '../options.js';

export function registerFilter(program: Command): void {
  program
    .command('filter')
    .description('Run a pool through filters (schema, nop scores 0, oracle passes, deterministic verifier, mutant solutions behave, near-duplicates) and per-category quotas; copy the admitted tasks into --out with filter-report.json (what was dropped and why). Rerunning continues the nop and oracle runs.')
    .argument('<pool...>', 'task folders or folders of tasks (any format)')
    .requiredOption('-o, --out <dir>', 'where admitted tasks (or admitted.txt with --list) and filter-report.json go')
    .option('--require <filters>', `comma-separated, of: ${FILTER_NAMES.join(', ')} (mutants: every wrong mutant solution scores < 1, every variant 1, every stated rule witnessed)`, DEFAULT_FILTERS.join(','))
    .option('--quota <cap>', 'per-category cap: "<category>=N", or "*=N" for every other category (repeatable)', collect, [])
    .option('--dedup-threshold <x>', 'Jaccard similarity (word 3-shingles) at which two tasks are near-duplicates', fraction, 0.8)
    .addOption(new Option('--dedup-on <what>', 'a duplicate has a near-identical instruction, workspace, or both').choices(['both', 'instruction', 'workspace']).default('both'))
    .option('--list', 'only list the admitted tasks (admitted.txt), do not copy them')
    .option('-c, --concurrency <n>', 'trials at once (default: number of cores)', positiveInt)
    .addOption(sandboxOption('where the nop/oracle runs go'))
    .option('--json', 'print filter-report.json')
    .action(async (pool: string[], o) => {
      const require = String(o.require).split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = require.filter((r) => !(FILTER_NAMES as readonly string[]).includes(r));
      if (unknown.length) throw new UsageError(`unknown filter(s) ${unknown.join(', ')} (known: ${FILTER_NAMES.join(', ')})`);
      const needsRuns = require.some((r) => r !== 'schema' && r !== 'dedup');
      const sandbox = needsRuns ? await openSandbox(o.sandbox) : undefined;
      const interrupt = onInterrupt('interrupted: rerun the same command to continue');
      try {
        const { report, interrupted } = await filterPool({
          paths: pool.map((p) => resolve(p)),
          out: resolve(o.out),
          require: require as never,
          quotas: parseQuotas(o.quota),
          threshold: o.dedupThreshold,
          dedupOn: o.dedupOn,
          concurrency: o.concurrency ?? availableParallelism(),
          sandbox,
          copy: !o.list,
          signal: interrupt.signal,
          onStep: o.json ? undefined : (f, n) => process.stderr.write(`${f}${n ? `: ${n} task(s)` : ''}…\n`),
        });
        if (interrupted) {
          process.exitCode = EXIT.interrupted;
          return;
        }
        if (o.json) printJson(report);
        else process.stdout.write(`${formatFilterReport(report)}\nreport: ${resolve(o.out, 'filter-report.json')}\n`);
      } finally {
        interrupt.dispose();
      }
    });
}
