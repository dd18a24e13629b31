/**
 * The persistent sandbox (one bubblewrap per episode or trial, each command a child of the
 * supervisor inside it), with real bubblewrap: a call gets what a sandbox of its own gave it
 * (limits, timeout, output cap, its own pid namespace and /proc, no capabilities), nothing a call
 * starts outlives it, calls cannot reach the supervisor or each other, two sandboxes see nothing
 * of each other, and nothing is left running on the host after close or after the owning
 * process is killed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { cgroupSupport, rlimitsFor } from '../../src/core/sandbox/cgroup.ts';
import { getSandbox } from '../../src/core/sandbox/probe.ts';
import { DEFAULT_LIMITS } from '../../src/core/sandbox/sandbox.ts';
import { PersistentSandbox } from '../../src/core/sandbox/persistent.ts';
import { ROOT, tempDir } from '../helpers.ts';

const MOUNT = '/root/.openclaw/workspace';
const dir = tempDir();
const opened: PersistentSandbox[] = [];
after(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function open(name: string): Promise<{ sb: PersistentSandbox; ws: string; tmp: string }> {
  const base = await getSandbox('bwrap');
  const ws = join(dir, `${name}-ws`);
  const tmp = join(dir, `${name}-tmp`);
  mkdirSync(ws);
  mkdirSync(tmp);
  if (base.owner) for (const p of [dir, ws, tmp]) chownSync(p, base.owner.uid, base.owner.gid);
  const sb = await base.open({ workspace: ws, mount: MOUNT, binds: [{ host: tmp, dest: '/tmp', readOnly: false }] });
  assert.ok(sb instanceof PersistentSandbox, 'the persistent sandbox runs here (bubblewrap and a C compiler)');
  opened.push(sb);
  return { sb, ws, tmp };
}

const bash = (sb: PersistentSandbox, script: string, o: { timeoutMs?: number; outputBytes?: number } = {}) =>
  sb.run({ argv: ['bash', '-c', script], timeoutMs: o.timeoutMs ?? 20_000, limits: o.outputBytes ? { outputBytes: o.outputBytes } : undefined });

/** Host processes whose command line contains `marker` (the sandbox's processes are visible from the host). */
function hostProcesses(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

async function eventually(what: string, f: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    assert.ok(Date.now() - t0 < ms, `${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a call runs as in a sandbox of its own: root in its namespaces, pid 1 of its own, no capabilities, limits, the workspace and /tmp', async () => {
  const { sb, ws, tmp } = await open('basic');
  const r = await bash(sb, 'id -u; pwd; echo $WORKSPACE; ps -e -o pid= | wc -l; grep CapEff /proc/self/status; ulimit -u -d -f -c; echo hi > out.txt; echo t > /tmp/t; ls /root/.openclaw; exit 3');
  assert.equal(r.exitCode, 3, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.trim());
  assert.equal(lines[0], '0');
  assert.equal(lines[1], MOUNT);
  assert.equal(lines[2], MOUNT);
  assert.ok(Number(lines[3]) <= 4, `only the call's own processes in its /proc: ${lines[3]}`);
  assert.match(lines[4]!, /CapEff:\s+0+$/);
  // Processes and memory: the sandbox's cgroup where there is one (then the rlimits are wide backstops).
  const cg = cgroupSupport();
  const rl = rlimitsFor(DEFAULT_LIMITS, cg.memory || cg.pids ? { limitsMemory: !!cg.memory, limitsProcesses: !!cg.pids } : null);
  assert.deepEqual(lines.slice(5, 9).map((l) => l.split(/\s+/).pop()), [String(rl.nproc), rl.dataMb === null ? 'unlimited' : String(rl.dataMb * 1024), String(1024 * 1024), '0']);
  assert.equal(readFileSync(join(ws, 'out.txt'), 'utf8'), 'hi\n');
  assert.equal(readFileSync(join(tmp, 't'), 'utf8'), 't\n');
  // No network, no host home.
  const net = await bash(sb, 'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " "; ls -A /root');
  assert.deepEqual(net.stdout.trim().split('\n'), ['lo', '.openclaw']);
});

test('nothing a call starts outlives it: background jobs, setsid and double forks die when the command ends', async () => {
  const { sb } = await open('tree');
  const marker = `4242.${process.pid}${Date.now() % 1000}`;
  const r = await bash(sb, `sleep ${marker} & setsid sleep ${marker} & (sleep ${marker} &) ; nohup sleep ${marker} >/dev/null 2>&1 & echo started`);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, 'started\n');
  await eventually('no leftover process on the host', () => hostProcesses(marker).length === 0);
  const ps = await bash(sb, 'ps -e -o comm=');
  assert.deepEqual(ps.stdout.trim().split('\n').sort(), ['clawgym-init', 'ps'], 'a later call sees only its own processes');
});

test('timeout kills the whole call (output so far kept), output is capped, and the sandbox goes on', async () => {
  const { sb } = await open('limits');
  const marker = `4343.${process.pid}`;
  const t0 = performance.now();
  const slow = await bash(sb, `echo before; setsid sleep ${marker} & sleep ${marker}`, { timeoutMs: 400 });
  assert.equal(slow.timedOut, true);
  assert.equal(slow.exitCode, null);
  assert.equal(slow.signal, 'SIGKILL');
  assert.equal(slow.stdout, 'before\n');
  assert.ok(performance.now() - t0 < 5000);
  await eventually('the timed-out tree is gone', () => hostProcesses(marker).length === 0);
  const big = await bash(sb, 'head -c 5000000 /dev/zero | tr "\\0" x', { outputBytes: 4096 });
  assert.equal(big.stdoutBytes, 5_000_000);
  assert.equal(big.stdoutTruncated, true);
  assert.ok(big.stdout.length < 8192);
  const fsize = await bash(sb, 'head -c 3000000 /dev/zero > big.bin; echo $?; stat -c %s big.bin');
  assert.equal(fsize.exitCode, 0);
  const fbig = await sb.run({ argv: ['bash', '-c', 'head -c 3000000 /dev/zero > big2.bin'], timeoutMs: 10_000, limits: { fileSizeMb: 1 } });
  assert.notEqual(fbig.exitCode, 0, 'RLIMIT_FSIZE holds');
  const missing = await sb.run({ argv: ['no-such-command'], timeoutMs: 5000 });
  assert.equal(missing.exitCode, 127);
  assert.match(missing.stderr, /no-such-command/);
  const after = await bash(sb, 'echo still here');
  assert.equal(after.stdout, 'still here\n');
});

test('a call cannot reach the supervisor or another call (kill -9 -1, pkill), and a background call keeps its stdin', async () => {
  const { sb } = await open('isolation');
  const input = new PassThrough();
  const seen: string[] = [];
  const bg = sb.run({ argv: ['bash', '-c', 'while read -r l; do echo "got $l"; done; echo eof'], stdin: input, timeoutMs: 30_000, onOutput: (_s, c) => seen.push(c.toString()) });
  input.write('one\n');
  await eventually('the first line echoed', () => seen.join('').includes('got one'));
  const rogue = await bash(sb, 'kill -9 -1; pkill -9 -f . ; pkill -9 supervisor; echo done');
  assert.equal(rogue.stdout.includes('done') || rogue.signal === 'SIGKILL', true);
  input.write('two\n');
  input.end();
  const r = await bg;
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, 'got one\ngot two\neof\n');
  assert.equal((await bash(sb, 'echo alive')).stdout, 'alive\n');
});

test('two sandboxes see nothing of each other', async () => {
  const a = await open('iso-a');
  const b = await open('iso-b');
  await bash(a.sb, 'echo secret > /tmp/a-secret; echo mine > a.txt');
  const r = await bash(b.sb, 'ls -A /tmp; ls -A .; ls /proc | grep -c "^[0-9]"');
  assert.deepEqual(r.stdout.trim().split('\n').slice(0, -1), []);
});

test('close ends every call and leaves no process; so does killing the process that owns the sandbox', async () => {
  const { sb } = await open('close');
  const marker = `4444.${process.pid}`;
  const bg = sb.run({ argv: ['bash', '-c', `sleep ${marker}`], timeoutMs: 600_000 });
  await eventually('the command runs', () => hostProcesses(marker).length > 0);
  const pid = sb.pid!;
  await sb.close();
  await assert.rejects(bg, /closed/);
  assert.deepEqual(hostProcesses(marker), []);
  assert.throws(() => process.kill(pid, 0), 'bwrap is gone');
  await assert.rejects(sb.run({ argv: ['true'], timeoutMs: 1000 }), /closed/);

  // A process that opened a sandbox and dies without closing it (SIGKILL: no cleanup code runs).
  const crash = `4545.${process.pid}`;
  const script = join(dir, 'crash.mts');
  writeFileSync(
    script,
    `import { getSandbox } from ${JSON.stringify(join(ROOT, 'src/core/sandbox/probe.ts'))};
const base = await getSandbox('bwrap');
const sb = await base.open({ workspace: ${JSON.stringify(join(dir, 'close-ws'))}, mount: '/w' });
void sb.run({ argv: ['bash', '-c', 'setsid sleep ${crash} & sleep ${crash}'], timeoutMs: 600_000 });
console.log('started');
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((r) => child.stdout.once('data', () => r()));
  await eventually('the crash test command runs', () => hostProcesses(crash).length >= 2);
  child.kill('SIGKILL');
  await eventually('nothing of the crashed owner’s sandbox is left', () => hostProcesses(crash).length === 0);
});
