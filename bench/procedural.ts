/**
 * Procedural synthesis figures: generation throughput and the generating process's peak memory
 * for the 13.5K pool, then the time to validate the whole pool (oracle + nop at default
 * concurrency, through the CLI, as a user would) and the mutant solutions (`filter --require
 * mutants`). Target: generate + validate under 10 minutes on 2 cores. CLAWGYM_BENCH_POOL_N changes
 * the pool size for a quicker look; CLAWGYM_BENCH_MUTANTS_N runs the mutants of an evenly spread
 * sample only, and the full-pool figure is then an extrapolation, printed as one.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledPersonas } from '../src/core/synth/personas.js';
import { FAMILIES } from '../src/core/synth/procedural/families/index.js';
import { generateProcedural } from '../src/core/synth/procedural/generate.js';

export async function benchProcedural(root: string): Promise<void> {
  const n = Number(process.env.CLAWGYM_BENCH_POOL_N ?? 13_500);
  const dir = mkdtempSync(join(tmpdir(), 'clawgym-bench-pool-'));
  chmodSync(dir, 0o755);
  const pool = join(dir, 'pool');
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  await generateProcedural({ n, seed: 1, out: pool, personas: bundledPersonas() });
  const genMs = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  const run = (agent: string) => {
    const t = performance.now();
    const r = spawnSync('node', [join(root, 'dist', 'cli.cjs'), 'run', pool, '--agent', agent, '--out', join(dir, agent), '--no-progress'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = performance.now() - t;
    const lines = readFileSync(join(dir, agent, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reward: number; error: string | null });
    return { ms, status: r.status, n: lines.length, ones: lines.filter((l) => l.reward === 1).length, zeros: lines.filter((l) => l.reward === 0).length, errors: lines.filter((l) => l.error).length };
  };
  const oracle = run('oracle');
  const nop = run('nop');

  // Mutants: the filter runs each task's mutant solutions as the oracle is run.
  const ids = readdirSync(pool).sort();
  const sampleN = Math.min(ids.length, Number(process.env.CLAWGYM_BENCH_MUTANTS_N ?? ids.length));
  const step = ids.length / Math.max(1, sampleN);
  const sample = sampleN === ids.length ? [pool] : Array.from({ length: sampleN }, (_, k) => join(pool, ids[Math.floor(k * step)]!));
  const tm = performance.now();
  const fr = spawnSync('node', [join(root, 'dist', 'cli.cjs'), 'filter', ...sample, '--require', 'schema,mutants', '--list', '--out', join(dir, 'mutants'), '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const mutMs = performance.now() - tm;
  const rep = fr.status === 0 ? (JSON.parse(fr.stdout) as { mutants?: { killed: number; wrong: number; kill_rate: number | null; variants: number; variants_accepted: number; without_mutants: number } }).mutants : undefined;
  rmSync(dir, { recursive: true, force: true });
  const mutFullMs = (mutMs * ids.length) / Math.max(1, sampleN);

  const total = genMs + oracle.ms + nop.ms + mutFullMs;
  console.log(`\nProcedural synthesis (${n} tasks, ${FAMILIES.length} families, seed 1)`);
  console.log(`  generation: ${(genMs / 1000).toFixed(1)} s, ${(n / (genMs / 1000)).toFixed(0)} tasks/s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${((peak - rss0) / 2 ** 20).toFixed(0)} MiB above the idle process)`);
  console.log(`  oracle over the pool: ${(oracle.ms / 1000).toFixed(1)} s — ${oracle.ones}/${oracle.n} scored 1.0, ${oracle.errors} errors`);
  console.log(`  nop over the pool:    ${(nop.ms / 1000).toFixed(1)} s — ${nop.zeros}/${nop.n} scored 0.0, ${nop.errors} errors`);
  if (!rep) console.log(`  mutants: filter failed (exit ${fr.status}): ${fr.stderr.slice(-500)}`);
  else {
    const mutants = rep.wrong + rep.variants;
    console.log(`  mutants over ${sampleN === ids.length ? 'the pool' : `a sample of ${sampleN}`}: ${(mutMs / 1000).toFixed(1)} s — ${mutants} mutant trials, kill rate ${rep.kill_rate === null ? 'n/a' : `${(rep.kill_rate * 100).toFixed(1)}%`} (${rep.killed}/${rep.wrong}), ${rep.variants_accepted}/${rep.variants} variants score 1, ${rep.without_mutants} task(s) without mutants`);
    if (sampleN < ids.length) console.log(`  mutants over the whole pool: EXTRAPOLATED from the sample, ${(mutFullMs / 1000).toFixed(1)} s (sample time × ${ids.length}/${sampleN})`);
  }
  console.log(`  generate + validate (oracle, nop, mutants${sampleN < ids.length ? ' extrapolated' : ''}): ${(total / 60_000).toFixed(1)} min (target < 10 min on 2 cores) ${total < 600_000 ? 'OK' : 'ABOVE TARGET'}`);
}
