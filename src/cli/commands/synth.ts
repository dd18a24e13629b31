/** `clawgym synth`: make task pools. The procedural route needs no model. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ClawgymError } from '../../core/errors.js';
import { bundledPersonas, loadPersonasJsonl } from '../../core/synth/personas.js';
import { FAMILIES } from '../../core/synth/procedural/families/index.js';
import { generateProcedural } from '../../core/synth/procedural/generate.js';
import { printJson } from '../output.js';
import { createCounter } from '../progress.js';

const whole = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ClawgymError('usage', `not a whole number ≥ 0: ${v}`);
  return n;
};

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('Synthesize verifiable tasks into a pool folder (native task folders). Rerunning continues where it stopped.')
    .addOption(new Option('--route <route>', 'how tasks are made').choices(['procedural']).default('procedural'))
    .requiredOption('--n <n>', 'number of tasks', whole)
    .option('--seed <s>', 'seed: the same seed gives a byte-identical pool', whole, 1)
    .requiredOption('-o, --out <dir>', 'pool folder')
    .option('--families <ids>', 'procedural: only these families (comma-separated)')
    .option('--personas <file>', 'a persona bank (jsonl) instead of the bundled one')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress output')
    .action(async (o) => {
      const personas = o.personas ? loadPersonasJsonl(resolve(o.personas)) : bundledPersonas();
      let families = FAMILIES;
      if (o.families) {
        const want = String(o.families).split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = want.filter((w) => !FAMILIES.some((f) => f.id === w));
        if (unknown.length) throw new ClawgymError('usage', `unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${FAMILIES.map((f) => f.id).join(', ')})`);
        families = FAMILIES.filter((f) => want.includes(f.id));
      }
      const counter = createCounter(o.json ? 'json' : !o.progress ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain', 'tasks', o.n);
      const stats = await generateProcedural({ n: o.n, seed: o.seed, out: resolve(o.out), personas, families, onTask: () => counter.tick() });
      counter.stop();
      const summary = { route: o.route, n: o.n, seed: o.seed, out: resolve(o.out), ...stats };
      if (o.json) printJson(summary);
      else process.stdout.write(`${stats.written} task(s) written, ${stats.skipped} already there, in ${resolve(o.out)} (${Object.keys(stats.byFamily).length} families)\n`);
    });
}
