/** `clawgym compare`: per-task regressions and gains between two runs. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { compareRunFolders, formatComparisonText } from '../../core/runs/compare.js';
import { unitInterval } from '../options.js';
import { printJson, useColor } from '../output.js';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('Per-task regressions and gains between two runs.')
    .argument('<run-a>')
    .argument('<run-b>')
    .option('--threshold <x>', 'ignore reward changes up to this (0–1)', unitInterval, 0)
    .option('--json')
    .action((a: string, b: string, o) => {
      const cmp = compareRunFolders(resolve(a), resolve(b), { threshold: o.threshold });
      if (o.json) printJson(cmp);
      else process.stdout.write(`${formatComparisonText(cmp, { color: useColor() })}\n`);
    });
}
