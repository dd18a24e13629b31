/**
 * Procedural synthesis figures: generation throughput and the generating process's peak memory
 * for the 13.5K pool, then the time to validate the whole pool (oracle + nop at default
 * concurrency, through the CLI, as a user would). Target: generate + validate under 10 minutes
 * on 2 cores. CLAWGYM_BENCH_POOL_N changes the pool size for a quicker look.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  rmSync(dir, { recursive: true, force: true });

  const total = genMs + oracle.ms + nop.ms;
  console.log(`\nProcedural synthesis (${n} tasks, ${FAMILIES.length} families, seed 1)`);
  console.log(`  generation: ${(genMs / 1000).toFixed(1)} s, ${(n / (genMs / 1000)).toFixed(0)} tasks/s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${((peak - rss0) / 2 ** 20).toFixed(0)} MiB above the idle process)`);
  console.log(`  oracle over the pool: ${(oracle.ms / 1000).toFixed(1)} s — ${oracle.ones}/${oracle.n} scored 1.0, ${oracle.errors} errors`);
  console.log(`  nop over the pool:    ${(nop.ms / 1000).toFixed(1)} s — ${nop.zeros}/${nop.n} scored 0.0, ${nop.errors} errors`);
  console.log(`  generate + validate: ${(total / 60_000).toFixed(1)} min (target < 10 min on 2 cores) ${total < 600_000 ? 'OK' : 'ABOVE TARGET'}`);
}
