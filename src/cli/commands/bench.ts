/** `clawgym bench build|check|calibrate`: curate a benchmark, keep it honest, measure it. */
import { availableParallelism } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { buildBench } from '../../core/bench/build.js';
import { calibrate, formatCalibrationText } from '../../core/bench/calibrate.js';
import { renderCalibrationHtml } from '../../core/bench/calibrate-html.js';
import { checkBench, formatBenchCheck } from '../../core/bench/check.js';
import { BENCH_REQUIREMENTS, readManifest, type BenchRequirement } from '../../core/bench/manifest.js';
import { readRunFolder } from '../../core/runs/folder.js';
import { terminalSafe } from '../../core/runs/report.js';
import { parseQuotas } from '../../core/synth/filter/quota.js';
import { EXIT, printJson, usageExit, useColor, warn } from '../output.js';
import { onInterrupt } from '../interrupt.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';
import { collect, wholeNumber } from '../options.js';

function parseRequire(spec: string): BenchRequirement[] {
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !(BENCH_REQUIREMENTS as readonly string[]).includes(n));
  if (unknown.length) throw new UsageError(`--require: unknown ${unknown.join(', ')} (known: ${BENCH_REQUIREMENTS.join(', ')}, or none)`);
  return [...new Set(names)] as BenchRequirement[];
}

export function registerBench(program: Command): void {
  const bench = program
    .command('bench')
    .description('Build a benchmark from a pool (bench.yaml manifest), check it against its manifest, calibrate it with reference runs.')
    .exitOverride(usageExit);

  bench
    .command('build')
    .description('Select tasks from a pool into a bench folder (<out>/tasks/<id>/ and bench.yaml: ids, content hashes, counts, inputs). Deterministic: the same inputs give the same manifest bytes.')
    .requiredOption('--from <pool...>', 'task folders or folders of tasks (any format)')
    .requiredOption('-o, --out <dir>', 'the bench folder (empty, or an earlier bench to rebuild)')
    .option('--size <n>', 'tasks in the bench (default: every task the requirements and quotas leave)', wholeNumber(1))
    .option('--quota <cap>', 'per-category cap: "<category>=N", or "*=N" for every other category (repeatable)', collect, [])
    .option('--require <list>', `comma-separated, of: ${BENCH_REQUIREMENTS.join(', ')} (or none)`, 'oracle-pass,nop-zero')
    .option('--runs <run...>', 'existing nop and oracle run folders to use as evidence (else the build runs them itself, under <out>/.bench/runs)')
    .option('--difficulty-from <run...>', 'reference run folders of real agents: solve rate and difficulty band per task; the draw is stratified by band')
    .option('--seed <n>', 'seed of the draw order', wholeNumber(0), 0)
    .option('--name <name>', 'bench name, recorded in bench.yaml', 'bench')
    .option('--bench-version <v>', "the bench's own version, recorded in bench.yaml", '1')
    .addOption(new Option('--keep <how>', 'original: folder formats (native, ClawGym, Harbor) copied as they are, others made native; native: every task made native').choices(['original', 'native']).default('original'))
    .option('-c, --concurrency <n>', 'trials at once for the nop/oracle runs (default: number of cores)', wholeNumber(1))
    .addOption(sandboxOption('where the nop/oracle runs go'))
    .option('--json', 'print the manifest and the build report as JSON')
    .action(async (o) => {
      const require = parseRequire(String(o.require));
      const sandbox = () => openSandbox(o.sandbox);
      const interrupt = onInterrupt('interrupted: rerun the same command to continue the nop/oracle runs');
      try {
        const { manifest, report, interrupted } = await buildBench({
          from: o.from,
          out: o.out,
          size: o.size ?? null,
          quotas: parseQuotas(o.quota),
          require,
          runs: (o.runs ?? []).map((r: string) => resolve(r)),
          difficultyFrom: (o.difficultyFrom ?? []).map((r: string) => resolve(r)),
          seed: o.seed,
          name: o.name,
          version: o.benchVersion,
          keep: o.keep,
          concurrency: o.concurrency ?? availableParallelism(),
          sandbox,
          hooks: { signal: interrupt.signal },
          onStep: o.json ? undefined : (s, n) => process.stderr.write(`${s}: ${n} task(s)…\n`),
        });
        if (interrupted || !manifest) {
          process.exitCode = EXIT.interrupted;
          return;
        }
        if (o.json) printJson({ manifest, report });
        else {
          const lines = [`${manifest.tasks.length} task(s) in ${report.out} (from ${manifest.counts.candidates} candidate(s) of ${manifest.counts.pool})`];
          for (const s of report.steps) lines.push(`  ${s.step.padEnd(12)} entered ${String(s.entered).padStart(6)}  dropped ${String(s.dropped).padStart(6)}  kept ${String(s.kept).padStart(6)}`);
          lines.push(`by category: ${Object.entries(manifest.counts.by_category).map(([k, v]) => `${terminalSafe(k, 40)} ${v}`).join(' · ') || '—'}`);
          if (manifest.counts.by_band) lines.push(`by band: ${Object.entries(manifest.counts.by_band).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
          const shown = report.dropped.filter((d) => d.step !== 'select').slice(0, 30);
          if (shown.length) lines.push('dropped:');
          for (const d of shown) lines.push(`  ${terminalSafe(d.id, 80)} [${d.step}] ${terminalSafe(d.reason)}`);
          lines.push(`manifest: ${report.manifest}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        if (report.shortfall) warn(`warning: asked for ${o.size} task(s), only ${manifest.tasks.length} meet the requirements and quotas`);
      } finally {
        interrupt.dispose();
      }
    });

  bench
    .command('check')
    .description(`Recompute every task's content hash and compare with bench.yaml: report each task changed, missing or added. Exit ${EXIT.taskErrors} when the bench differs from its manifest.`)
    .argument('<dir>', 'the bench folder')
    .option('--json', 'print the check as JSON')
    .action(async (dir: string, o) => {
      const c = await checkBench(dir);
      if (o.json) printJson(c);
      else process.stdout.write(`${formatBenchCheck(c)}\n`);
      process.exitCode = c.ok ? EXIT.ok : EXIT.taskErrors;
    });

  bench
    .command('calibrate')
    .description('From reference runs on the bench: per-task solve rate, difficulty bands, discrimination between agents, per-category balance.')
    .argument('<dir>', 'the bench folder')
    .requiredOption('--runs <run...>', 'reference run folders (one agent each) on the bench')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--json', 'print the calibration as JSON')
    .action(async (dir: string, o) => {
      const benchDir = resolve(dir);
      const manifest = await readManifest(benchDir);
      const runs = await Promise.all((o.runs as string[]).map((r) => readRunFolder(r)));
      const c = calibrate(benchDir, manifest, runs);
      if (o.html) await writeFile(resolve(o.html), renderCalibrationHtml(c));
      if (o.json) printJson(c);
      else process.stdout.write(`${formatCalibrationText(c, { color: useColor() })}\n${o.html ? `report: ${resolve(o.html)}\n` : ''}`);
    });
}
