/** `clawgym export sft`: verified trajectories and proxy recordings as SFT training data. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { exportSft, formatSftStats } from '../../core/export/sft.js';
import { SFT_FORMATS } from '../../core/export/sft-formats.js';
import { printJson, usageExit, warn } from '../output.js';
import { unitInterval } from '../options.js';

export function registerExport(program: Command): void {
  const exp = program.command('export').description('Export run results as training data.').exitOverride(usageExit);
  exp
    .command('sft')
    .description("Trajectories of trials with reward ≥ --min-reward (and proxy recordings, which carry no reward) as SFT JSONL: openai (fine-tuning chat format, native tool_calls), trl (messages + tools, arguments as objects) or sharegpt (LLaMA-Factory: conversations with function_call/observation). Every line is checked against its format; keys are cut out; the file is written whole or not at all.")
    .argument('<inputs...>', 'run folders, recording-proxy folders (<session>/trajectory.json) or trajectory .json files')
    .addOption(new Option('--format <format>', 'output format').choices([...SFT_FORMATS]).makeOptionMandatory())
    .requiredOption('-o, --out <file>', 'the JSONL file to write (replaced)')
    .option('--min-reward <x>', 'keep trials with at least this reward (errored trials never)', unitInterval, 1)
    .option('--dedupe', 'drop conversations identical to an earlier one (tool call ids aside)')
    .option('--json', 'print the summary as JSON')
    .action(async (inputs: string[], o) => {
      const stats = await exportSft({ inputs: inputs.map((i) => resolve(i)), format: o.format, minReward: o.minReward, dedupe: !!o.dedupe, out: o.out });
      if (o.json) printJson(stats);
      else process.stdout.write(`${formatSftStats(stats)}\n`);
      if (!stats.examples) warn('warning: no example written (see the summary for what was left out)');
    });
}
