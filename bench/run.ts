/**
 * `npm run bench`: performance figures as ratios against a baseline measured in the same run.
 *
 * nop over the 200 ClawGym-Bench tasks at default concurrency vs. the plain shell loop of
 * bench/baseline.sh (copy input_files, copy reward/, run reward.sh under bwrap, one task after
 * another). Target: ratio ≤ 0.6 on 2 cores.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBundles } from './bundle.js';
import { benchLsp } from './lsp.js';
import { benchOpenclaw } from './openclaw.js';
import { benchProcedural } from './procedural.js';
import { benchRl } from './rl.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bench = resolve(process.env.CLAWGYM_BENCH_DIR ?? join(root, '..', 'shared', 'datasets', 'clawgym-bench'));
const cli = join(root, 'dist', 'cli.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'clawgym-bench-'));
chmodSync(scratch, 0o755); // reachable by the sandbox uid, as a normal run folder is

/** Busy CPU time of the whole machine (ms), from /proc/stat: it sees inside the sandboxes' pid namespaces too. */
function busyCpuMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
  return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / 100; // USER_HZ is 100 on Linux
}

function time<T>(f: () => T): [T, number, number] {
  const c0 = busyCpuMs();
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0, busyCpuMs() - c0];
}

execFileSync('node', [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
// Warm the page cache and the sandbox once so neither side pays for a cold start.
execFileSync('bash', [join(root, 'bench', 'baseline.sh'), bench, join(scratch, 'warm')]);

const [baseOut, baseMs, baseCpu] = time(() => execFileSync('bash', [join(root, 'bench', 'baseline.sh'), bench, join(scratch, 'base')]).toString());
const n = baseOut.trim().split('\n').length;

const out = join(scratch, 'run');
const [res, runMs, runCpu] = time(() => spawnSync('node', [cli, 'run', bench, '--agent', 'nop', '--out', out, '--no-progress'], { encoding: 'utf8' }));
if (res.status !== 0) {
  console.error(res.stderr);
  process.exit(1);
}
const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const trialMs = mean(lines.map((l) => l.timings.total_ms));
const setupMs = mean(lines.map((l) => l.timings.setup_ms));
const verifyMs = mean(lines.map((l) => l.timings.verify_ms));
const basePerTask = baseMs / n;
const ratio = runMs / baseMs;

const fmt = (x: number) => x.toFixed(1);
console.log(`\nClawGym bench — ${n} ClawGym-Bench tasks, agent nop, concurrency ${availableParallelism()} (cores)`);
console.log(`  baseline (shell loop, sequential): wall ${fmt(baseMs)} ms, ${fmt(basePerTask)} ms/task`);
console.log(`  clawgym run:                       wall ${fmt(runMs)} ms (CLI start and report included)`);
console.log(`  per trial: ${fmt(trialMs)} ms (setup ${fmt(setupMs)} ms, verify ${fmt(verifyMs)} ms); overhead vs baseline task: ${fmt(trialMs - basePerTask)} ms`);
console.log(`  ratio clawgym/baseline wall time: ${ratio.toFixed(3)} (target ≤ 0.6) ${ratio <= 0.6 ? 'OK' : 'ABOVE TARGET'}`);
// Why the ratio is what it is: the CPU both sides burn. The checkers' own work (reward.sh pipes two
// python3 processes) is the same on both sides and bounds the wall time from below on this many cores.
const cores = availableParallelism();
console.log(`  CPU busy: baseline ${fmt(baseCpu / 1000)} s (${fmt(baseCpu / baseMs)} cores on average), clawgym ${fmt(runCpu / 1000)} s (${fmt(runCpu / runMs)} cores)`);
console.log(`  lowest ratio reachable with this much CPU on ${cores} cores: ${(runCpu / cores / baseMs).toFixed(3)}; clawgym CPU/baseline CPU: ${(runCpu / baseCpu).toFixed(3)}`);
rmSync(scratch, { recursive: true, force: true });

// The claw agent's own overhead per step (target < 5 ms median): 200 steps against an instant
// scripted Chat Completions server, each step one `read` run in the real sandbox. Overhead is a
// step's wall time minus its tool's (model call over HTTP, parsing, recording, events included);
// the baseline is a bare HTTP round trip to the same server.
{
  const { MockLlm } = await import('../test/mock-llm.ts');
  const { startRun } = await import('../src/core/runs/run.ts');
  const { getSandbox } = await import('../src/core/sandbox/probe.ts');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const STEPS = 200;
  const llm = await new MockLlm((_req, i) => (i < STEPS - 1 ? { tool_calls: [{ name: 'read', arguments: { path: 'notes.txt' } }] } : { content: 'done' })).start();
  const dir = mkdtempSync(join(tmpdir(), 'clawgym-bench-claw-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'task', 'workspace'), { recursive: true });
  writeFileSync(join(dir, 'task', 'task.yaml'), JSON.stringify({ id: 'loop', title: 'loop', instruction: 'Read notes.txt.', timeout_sec: 600, verify: { checks: [{ id: 'x', type: 'file_exists', path: 'notes.txt' }] } }));
  writeFileSync(join(dir, 'task', 'workspace', 'notes.txt'), 'a note\n');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ api_key: 'bench-key-not-secret' }));
  const sandbox = await getSandbox('bwrap');
  const run = await startRun({ paths: [join(dir, 'task')], agent: { name: 'claw', model: 'bench', base_url: llm.url, config: join(dir, 'config.json'), max_steps: STEPS }, sandboxMode: 'bwrap', out: join(dir, 'run') }, sandbox);
  const traj = JSON.parse(readFileSync(join(run.runDir, run.results[0]!.trial_dir, 'trajectory.json'), 'utf8')) as { steps: Array<{ source: string; extra?: { timing?: { step_ms: number; tools_ms: number } } }> };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const overhead = median(traj.steps.flatMap((s) => (s.extra?.timing ? [s.extra.timing.step_ms - s.extra.timing.tools_ms] : [])));
  const tool = median(traj.steps.flatMap((s) => (s.extra?.timing ? [s.extra.timing.tools_ms] : [])));
  const rt: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await (await fetch(`${llm.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'hi' }] }) })).text();
    rt.push(performance.now() - t0);
  }
  await llm.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nclaw agent loop (${STEPS} steps, instant scripted server)`);
  console.log(`  overhead per step: median ${overhead.toFixed(2)} ms (target < 5 ms); bare HTTP round trip: ${median(rt).toFixed(2)} ms (ratio ${(overhead / median(rt)).toFixed(2)}); the read tool in the sandbox: ${tool.toFixed(2)} ms`);
}

await benchLsp(root);
await benchBundles(root);

await benchProcedural(root);
await benchRl(root);
await benchOpenclaw();

// The extension: .vsix size (packaged now) and activation time, which only a real VS Code can
// measure — the e2e suite (scripts/e2e.sh) records it from the extension's own log line.
const vsix = join(root, 'dist', 'clawgym.vsix');
execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', vsix], { cwd: root, stdio: 'ignore' });
console.log(`\nExtension`);
console.log(`  .vsix size: ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);
const metricsFile = join(root, 'test-artifacts', 'e2e-metrics.json');
if (existsSync(metricsFile)) {
  const m = JSON.parse(readFileSync(metricsFile, 'utf8')) as {
    activation_ms?: number;
    measured_at?: string;
    trajectory_first_render_ms?: number;
    trajectory_first_render?: { steps: number; rows: number; dom_rows: number; page_load_to_paint_ms: number; baseline_all_rows_ms?: number; measured_at: string };
  };
  if (m.activation_ms !== undefined) console.log(`  activation: ${m.activation_ms.toFixed(1)} ms in code-server (e2e run of ${m.measured_at})`);
  else console.log('  activation: not measured yet — run `bash scripts/e2e.sh` (the e2e suite records it)');
  const r = m.trajectory_first_render;
  if (m.trajectory_first_render_ms !== undefined && r) {
    console.log(
      `  trajectory debugger first render: ${m.trajectory_first_render_ms.toFixed(1)} ms for ${r.steps} steps (${r.rows} rows, ${r.dom_rows} in the DOM: virtualized; page load to first paint ${r.page_load_to_paint_ms} ms; e2e run of ${r.measured_at})`,
    );
    if (r.baseline_all_rows_ms) {
      console.log(`    baseline, all ${r.rows} rows in the DOM at once (same webview, same run): ${r.baseline_all_rows_ms.toFixed(1)} ms; ratio ${(m.trajectory_first_render_ms / r.baseline_all_rows_ms).toFixed(3)}`);
    }
  } else console.log('  trajectory debugger first render: not measured yet — run test/e2e/trajectory.e2e.test.ts');
} else console.log('  activation and trajectory first render: not measured yet — run `bash scripts/e2e.sh` (the e2e suite records them)');
