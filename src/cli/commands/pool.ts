/** `clawgym pool stats`: what a pool holds and how repetitive it is. */
import { resolve } from 'node:path';
import { type Command } from 'commander';
import { formatPoolStats, poolStats } from '../../core/synth/pool/stats.js';
import { EXIT, printJson } from '../output.js';
import { fraction } from '../options.js';

export function registerPool(program: Command): void {
  const pool = program.command('pool').description('Inspect task pools.');
  pool
    .command('stats')
    .description('Counts by category, family, route and difficulty; instruction near-duplicate rate at the dedup threshold; workspace duplicate rate.')
    .argument('<pool...>', 'task folders or folders of tasks (any format)')
    .option('--dedup-threshold <x>', 'Jaccard similarity (word 3-shingles) at which two texts are near-duplicates', fraction, 0.8)
    .option('--json', 'print the stats as JSON')
    .action(async (paths: string[], o) => {
      const { errors, ...stats } = await poolStats(paths.map((p) => resolve(p)), o.dedupThreshold);
      if (o.json) printJson(stats);
      else process.stdout.write(`${formatPoolStats(stats)}\n`);
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });
}
