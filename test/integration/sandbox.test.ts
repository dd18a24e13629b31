/**
 * Real bubblewrap: a hostile agent is contained and reported, and the host is untouched.
 * Each case runs a `command` agent through a real trial (materialize → agent → verify).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandAgent } from '../../src/core/agents/command.ts';
import { getSandbox } from '../../src/core/sandbox/probe.ts';
import { cgroupSupport, rlimitsFor } from '../../src/core/sandbox/cgroup.ts';
import { DEFAULT_LIMITS, type Sandbox } from '../../src/core/sandbox/sandbox.ts';
import { runTrial } from '../../src/core/runs/trial.ts';
import { nativeAdapter } from '../../src/core/task/native.ts';
import { tempDir, writeTask } from '../helpers.ts';

let sandbox: Sandbox;
const root = tempDir();
const marker = `clawgym-marker-${process.pid}`;
const hostSecretDir = join(process.env.HOME ?? '/root', `.${marker}`);

before(async () => {
  sandbox = await getSandbox('bwrap');
  mkdirSync(hostSecretDir, { recursive: true });
  writeFileSync(join(hostSecretDir, 'secret.txt'), 'TOP-SECRET');
});
after(() => {
  rmSync(hostSecretDir, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

async function trial(id: string, command: string, opts: { timeout?: number; checks?: unknown[]; files?: Record<string, string>; limits?: Record<string, number> } = {}) {
  const dir = writeTask(join(root, 'tasks'), { id, timeout_sec: opts.timeout ?? 20, ...(opts.limits ? { limits: opts.limits } : {}), verify: { checks: opts.checks ?? [{ type: 'file_exists', path: 'done.txt' }] } }, { 'workspace/seed.txt': 'seed\n', ...opts.files });
  const [task] = await nativeAdapter.load(dir);
  const runDir = join(root, 'runs', id);
  const line = await runTrial({ task: task!, attempt: 1, agent: commandAgent(command), sandbox, runDir, timeoutMultiplier: 1, harnessRetries: 0 });
  const trialDir = join(runDir, line.trial_dir);
  return { line, trialDir, stdout: readFileSync(join(trialDir, 'logs', 'agent.stdout'), 'utf8'), stderr: readFileSync(join(trialDir, 'logs', 'agent.stderr'), 'utf8') };
}

describe('bubblewrap sandbox', () => {
  test('the workspace is mounted at /root/.openclaw/workspace and writable', async () => {
    const r = await trial('ws-ok', 'pwd; cat seed.txt; echo ok > done.txt');
    assert.equal(r.line.reward, 1);
    assert.match(r.stdout, /\/root\/\.openclaw\/workspace/);
    assert.equal(readFileSync(join(r.trialDir, 'workspace', 'done.txt'), 'utf8'), 'ok\n');
  });

  test('writes outside the workspace fail and leave the host untouched', async () => {
    const target = join(root, 'outside.txt');
    const r = await trial('write-out', `for p in /etc/${marker} /usr/${marker} ${target} /work/${marker} /${marker}; do echo x > $p && echo WROTE $p; done; true`);
    assert.doesNotMatch(r.stdout, /WROTE (\/etc|\/usr|\/work|\/tmp)/);
    for (const p of [`/etc/${marker}`, `/usr/${marker}`, target, `/work/${marker}`, `/${marker}`]) assert.equal(existsSync(p), false, p);
    assert.equal(r.line.reward, 0);
  });

  test('/root and /home of the host are not visible', async () => {
    const r = await trial('read-home', `cat ${hostSecretDir}/secret.txt; ls -A /root /home; cat /etc/shadow; true`);
    assert.doesNotMatch(r.stdout, /TOP-SECRET/);
    assert.doesNotMatch(r.stdout, new RegExp(marker));
  });

  test('the task folder itself (and so its hidden tests) is not visible to the agent', async () => {
    const r = await trial('hidden', `find / -name 'task.yaml' -o -name 'check.py' 2>/dev/null | grep -v '^/usr' ; true`, { files: { 'tests/check.py': 'print(1)\n' } });
    assert.equal(r.stdout.trim(), '');
  });

  test('no network: a connection to a server on the host loopback fails', async () => {
    let hits = 0;
    const server = createServer((_q, s) => {
      hits++;
      s.end('hello');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await trial('net', `python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:${port}', timeout=3).read())" && echo CONNECTED; getent hosts example.com && echo RESOLVED; true`);
      assert.doesNotMatch(r.stdout, /CONNECTED|RESOLVED/);
      assert.equal(hits, 0);
    } finally {
      server.close();
    }
  });

  test('a fork bomb is contained by the process limit and the timeout', async () => {
    const r = await trial('forkbomb', 'bomb() { bomb | bomb & }; bomb; sleep 2; echo ok > done.txt', { timeout: 10 });
    // The host survives and nothing of the bomb outlives the trial.
    const left = execFileSync('sh', ['-c', 'ps -eo comm | grep -c "^bash$" || true']).toString().trim();
    assert.ok(Number(left) < 50, `bash processes left on the host: ${left}`);
    assert.ok(r.line.timings.agent_ms < 15_000);
  });

  test('an agent that outlives its timeout is killed with its whole process tree', async () => {
    const t0 = Date.now();
    // A duration no other process on the host sleeps for, so `ps` can tell ours apart.
    const long = `300.${process.pid}`;
    const r = await trial('timeout', `(sleep ${long}; echo late > late.txt) & sleep 301 # ${marker}-sleeper`, { timeout: 1 });
    assert.equal(r.line.agent_exit?.timed_out, true);
    assert.ok(Date.now() - t0 < 20_000);
    // The kernel tears a killed pid namespace down asynchronously: on a loaded host give it time.
    let ps = '';
    for (let i = 0; i < 100; i++) {
      ps = execFileSync('ps', ['-eo', 'args']).toString();
      if (!ps.includes(`${marker}-sleeper`) && !ps.includes(`sleep ${long}`)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.doesNotMatch(ps, new RegExp(`${marker}-sleeper`));
    assert.ok(!ps.includes(`sleep ${long}`), `the background sleep outlived its trial:\n${ps}`);
  });

  test('100 MB of output is capped and reported, not kept', async () => {
    const r = await trial('flood', 'head -c 100000000 /dev/zero | tr "\\0" x; echo ok > done.txt');
    const res = await sandbox.run({ argv: ['sh', '-c', 'head -c 100000000 /dev/zero | tr "\\0" y'], workspace: tempOwned(), mount: '/w', timeoutMs: 30_000 });
    assert.equal(res.stdoutTruncated, true);
    assert.equal(res.stdoutBytes, 100_000_000);
    assert.ok(res.stdout.length < 2 * 1024 * 1024);
    assert.match(res.stdout, /bytes of output dropped/);
    assert.equal(r.line.reward, 1);
  });

  test('the process limit holds per sandbox: 77 allowed, a fork loop stops there', async () => {
    const py = 'import os,time\nn=0\ntry:\n  for i in range(300):\n    p=os.fork()\n    if p==0:\n      time.sleep(3); os._exit(0)\n    n+=1\nexcept OSError:\n  pass\nprint(n)';
    const res = await sandbox.run({ argv: ['python3', '-c', py], workspace: tempOwned(), mount: '/w', timeoutMs: 30_000, limits: { maxProcesses: 77 } });
    const n = Number(res.stdout.trim());
    assert.ok(n > 40 && n < 77, `forks: ${res.stdout} ${res.stderr}`);
  });

  test('a memory hog is stopped at the memory limit (OOM-killed and reported where a memory cgroup limits it)', async () => {
    // 600 MiB written (not just reserved) against a 256 MiB limit.
    const py = "b = b'x' * (600 << 20)\nprint('ALLOCATED', len(b))";
    const res = await sandbox.run({ argv: ['python3', '-c', py], workspace: tempOwned(), mount: '/w', timeoutMs: 60_000, limits: { memoryMb: 256 } });
    assert.doesNotMatch(res.stdout, /ALLOCATED/);
    assert.notEqual(res.exitCode, 0);
    if (cgroupSupport().memory) {
      assert.equal(res.oomKilled, true);
      assert.equal(res.signal ?? (res.exitCode === 137 ? 'SIGKILL' : null), 'SIGKILL');
    } else assert.match(res.stderr, /MemoryError/);
    // A trial shows it in its result line.
    const r = await trial('hog', `python3 -c "b = b'x' * (600 << 20)"; echo ok > done.txt`, { limits: { memory_mb: 256 } });
    if (cgroupSupport().memory) assert.equal(r.line.agent_exit?.oom_killed, true);
  });

  test('the default memory limit fits a Node/V8 program with worker isolates (address space is not memory)', async () => {
    const js = "const { Worker } = require('worker_threads'); let n = 0; for (let i = 0; i < 5; i++) { const w = new Worker('setTimeout(() => {}, 300)', { eval: true }); w.on('exit', () => { if (++n === 5) console.log('workers ok', require('fs').readFileSync('/proc/self/status', 'utf8').match(/VmData:\\s+(\\d+)/)[1]); }); }";
    const res = await sandbox.run({ argv: ['node', '-e', js], workspace: tempOwned(), mount: '/w', timeoutMs: 60_000 });
    assert.match(res.stdout, /workers ok/, res.stderr);
  });

  test('every sandbox cgroup is removed when its sandbox ends', async () => {
    const s = cgroupSupport();
    for (const base of [s.memory, s.pids]) {
      if (!base) continue;
      const left = existsSync(base.dir) ? readdirSync(base.dir).filter((n) => n.startsWith(`sb-${process.pid}-`)) : [];
      assert.deepEqual(left, [], base.dir);
    }
  });

  test('a file larger than the file-size limit cannot be written', async () => {
    const res = await sandbox.run({ argv: ['sh', '-c', 'head -c 3000000 /dev/zero > big.bin; echo rc=$?'], workspace: tempOwned(), mount: '/w', timeoutMs: 10_000, limits: { fileSizeMb: 1 } });
    assert.match(res.stdout + res.stderr, /rc=1|File size limit/);
  });

  test('the limits are hard limits: the command cannot raise them, and it does not run as host root', async () => {
    const res = await sandbox.run({
      argv: ['bash', '-c', 'ulimit -u; ulimit -Hu; ulimit -Hf; (ulimit -HSu 999999 2>/dev/null && echo raised) || echo refused; cat /proc/self/uid_map'],
      workspace: tempOwned(),
      mount: '/w',
      timeoutMs: 10_000,
      limits: { maxProcesses: 77, fileSizeMb: 2 },
    });
    const [soft, hard, fsize, raise, uidMap] = res.stdout.trim().split('\n').map((l) => l.trim());
    // With a pids cgroup per sandbox, RLIMIT_NPROC (per uid, shared by every sandbox) is only a wide backstop.
    const nproc = String(rlimitsFor({ ...DEFAULT_LIMITS, maxProcesses: 77 }, cgroupSupport().pids ? { limitsMemory: !!cgroupSupport().memory, limitsProcesses: true } : null).nproc);
    assert.equal(soft, nproc);
    assert.equal(hard, nproc);
    assert.equal(fsize, String(2 * 1024)); // bash counts 1 KiB blocks
    assert.equal(raise, 'refused');
    // Inside, uid 0 maps to an unprivileged host uid when the harness itself runs as root.
    if (process.getuid?.() === 0) assert.doesNotMatch(uidMap ?? '', /^0\s+0\s/);
  });

  test('a symlink planted by the agent cannot make a check read a host file', async () => {
    const r = await trial('symlink-read', `ln -s ${hostSecretDir}/secret.txt done.txt; ln -s /etc/hostname out.txt`, {
      checks: [
        { type: 'text_equals', path: 'done.txt', text: 'anything' },
        { type: 'text_contains', path: 'out.txt', text: 'a' },
      ],
    });
    const verify = readFileSync(join(r.trialDir, 'verify.json'), 'utf8');
    assert.doesNotMatch(verify, /TOP-SECRET/);
    assert.match(verify, /outside the workspace|does not exist/);
    assert.equal(r.line.reward, 0);
  });

  test('a symlink planted where hidden tests go cannot redirect the copy to the host', async () => {
    const hostDir = join(root, 'hijack');
    mkdirSync(hostDir, { recursive: true });
    const dir = join(root, 'cg', 'task_hijack');
    mkdirSync(join(dir, 'input_files'), { recursive: true });
    mkdirSync(join(dir, 'reward'), { recursive: true });
    writeFileSync(join(dir, 'data_entry.json'), JSON.stringify({ task_id: 'task_hijack', user_query: 'q', input_mount_dir: '/root/.openclaw/workspace', metadata: {} }));
    writeFileSync(join(dir, 'reward', 'reward.sh'), 'echo 0.0\n');
    const { clawgymAdapter } = await import('../../src/core/task/clawgym.ts');
    const [task] = await clawgymAdapter.load(dir);
    const runDir = join(root, 'runs', 'hijack');
    const line = await runTrial({ task: task!, attempt: 1, agent: commandAgent(`ln -s ${hostDir} reward`), sandbox, runDir, timeoutMultiplier: 1, harnessRetries: 0 });
    assert.equal(line.error, null);
    assert.deepEqual(execFileSync('ls', ['-A', hostDir]).toString(), '');
  });
});

function tempOwned(): string {
  const d = tempDir();
  if (sandbox.owner) execFileSync('chown', ['-R', `${sandbox.owner.uid}:${sandbox.owner.gid}`, d]);
  return d;
}

test('--sandbox none: {instruction_file}, $CLAWGYM_INSTRUCTION_FILE and the mount path reach the host folders they stand for', async () => {
  const { runCli } = await import('../helpers.ts');
  const task = writeTask(tempDir(), {
    id: 'host-paths',
    instruction: 'Write the instruction into got.txt.',
    verify: {
      checks: [
        { id: 'placeholder', type: 'text_contains', path: 'got.txt', text: 'Write the instruction' },
        { id: 'variable', type: 'text_contains', path: 'env.txt', text: 'Write the instruction' },
      ],
    },
  });
  const out = join(tempDir(), 'run');
  const r = await runCli(['run', task, '--agent', 'command', '--command', 'cat {instruction_file} > /root/.openclaw/workspace/got.txt; cat "$CLAWGYM_INSTRUCTION_FILE" > env.txt', '--sandbox', 'none', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const line = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').trim());
  assert.equal(line.error, null, line.error);
  assert.equal(line.reward, 1);
});
