/**
 * The real OpenClaw: median time from start to its first model call in a bwrap trial (through the
 * recording proxy, with the compile cache `setup` primed, bound read-only) vs a bare
 * `openclaw agent --local` outside any sandbox (target ≤ 1.1); and OpenClaw trials per minute at
 * the default concurrency vs one at a time. A scripted Chat Completions server answers at once.
 * Skipped, saying so, when `clawgym setup openclaw` has not run. Alone: `node --import tsx bench/openclaw.ts`.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLES = Number(process.env.CLAWGYM_BENCH_OPENCLAW_SAMPLES ?? 3);

export async function benchOpenclaw(): Promise<void> {
  const { findOpenclaw, headlessConfig } = await import('../src/core/agents/openclaw/install.ts');
  const oc = findOpenclaw();
  console.log('\nOpenClaw (the real one, scripted model)');
  if (!oc) {
    console.log('  skipped: OpenClaw is not installed (clawgym setup openclaw)');
    return;
  }
  const { MockLlm } = await import('../test/mock-llm.ts');
  const { startRun } = await import('../src/core/runs/run.ts');
  const { getSandbox } = await import('../src/core/sandbox/probe.ts');
  let firstCall: (() => void) | null = null;
  const llm = await new MockLlm(() => {
    firstCall?.();
    firstCall = null;
    return { content: 'Done.' };
  }).start();
  const dir = mkdtempSync(join(tmpdir(), 'clawgym-bench-openclaw-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'task', 'workspace'), { recursive: true });
  writeFileSync(join(dir, 'task', 'task.yaml'), JSON.stringify({ id: 'hello', title: 'hello', instruction: 'Say hello.', timeout_sec: 600, verify: { checks: [] } }));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const untilFirstCall = async (start: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    let t = 0;
    const seen = new Promise<void>((r) => (firstCall = () => ((t = performance.now() - t0), r())));
    await Promise.all([start(), seen]);
    return t;
  };
  const bare = async (i: number) => {
    const state = join(dir, `bare-${i}`);
    mkdirSync(join(state, 'ws'), { recursive: true });
    writeFileSync(join(state, 'openclaw.json'), JSON.stringify(headlessConfig({ baseUrl: llm.url, apiKey: 'bench', model: 'bench', workspace: join(state, 'ws') })));
    writeFileSync(join(state, 'message.md'), 'Say hello.');
    await new Promise<void>((res) => {
      const c = spawn(oc.node, [oc.entry, 'agent', '--local', '--agent', 'main', '--message-file', join(state, 'message.md'), '--json'], {
        cwd: join(state, 'ws'),
        env: { PATH: `${join(oc.node, '..')}:/usr/bin:/bin`, HOME: state, OPENCLAW_STATE_DIR: state, OPENCLAW_CONFIG_PATH: join(state, 'openclaw.json'), NO_COLOR: '1' },
        stdio: 'ignore',
      });
      c.on('close', () => res());
    });
  };
  const sandbox = await getSandbox('bwrap');
  const trial = (out: string, attempts = 1, concurrency = 1) =>
    startRun({ paths: [join(dir, 'task')], agent: { name: 'openclaw', model: 'bench', base_url: llm.url }, attempts, concurrency, harnessRetries: 0, sandboxMode: 'bwrap', out: join(dir, out) }, sandbox, {});
  const bareMs: number[] = [];
  const boxMs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    bareMs.push(await untilFirstCall(() => bare(i)));
    boxMs.push(await untilFirstCall(() => trial(`first-${i}`)));
  }
  console.log(`  to the first model call: bwrap trial median ${(median(boxMs) / 1000).toFixed(1)} s, bare openclaw agent --local ${(median(bareMs) / 1000).toFixed(1)} s — ratio ${(median(boxMs) / median(bareMs)).toFixed(2)} (target ≤ 1.1; ${SAMPLES} each, alternating)`);
  const n = Math.max(2, Math.min(4, availableParallelism()));
  let t0 = performance.now();
  await trial('seq', n, 1);
  const seq = n / ((performance.now() - t0) / 60_000);
  t0 = performance.now();
  await trial('par', n, availableParallelism());
  const par = n / ((performance.now() - t0) / 60_000);
  console.log(`  trials per minute (${n} trials): ${par.toFixed(2)} at the default concurrency (${availableParallelism()}) vs ${seq.toFixed(2)} one at a time — ratio ${(par / seq).toFixed(2)}`);
  await llm.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1]?.endsWith('openclaw.ts')) await benchOpenclaw();
