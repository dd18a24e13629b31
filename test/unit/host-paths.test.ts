/** --sandbox none: sandbox paths in a command line become the host folders they stand for. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostSandbox, hostEnv, hostPaths } from '../../src/core/sandbox/sandbox.ts';
import { tempDir } from '../helpers.ts';

const req = {
  mount: '/root/.openclaw/workspace',
  workspace: '/host/trial/workspace',
  binds: [
    { host: '/host/io', dest: '/clawgym', readOnly: true },
    { host: '/host/io-bridge', dest: '/clawgym/bridge', readOnly: true },
  ],
};

test('the mount and bind destinations are rewritten, longest first', () => {
  assert.deepEqual(hostPaths(['bash', '-c', 'cat /clawgym/instruction.md > /root/.openclaw/workspace/out.txt; ls /clawgym/bridge/x'], req), [
    'bash',
    '-c',
    'cat /host/io/instruction.md > /host/trial/workspace/out.txt; ls /host/io-bridge/x',
  ]);
  assert.deepEqual(hostPaths(['cd', '/root/.openclaw/workspace'], req), ['cd', '/host/trial/workspace']);
  assert.deepEqual(hostPaths(["python3 '/clawgym/a.py'"], req), ["python3 '/host/io/a.py'"]);
});

test('only whole path components match', () => {
  assert.deepEqual(hostPaths(['ls /clawgymx /x/clawgym /clawgym.bak ./clawgym /clawgym'], req), ['ls /clawgymx /x/clawgym /clawgym.bak ./clawgym /host/io']);
});

test('no binds: only the mount; "/" is never rewritten', () => {
  assert.deepEqual(hostPaths(['echo', '/etc/passwd'], { mount: '/', workspace: '/w', binds: [] }), ['echo', '/etc/passwd']);
});

test('environment values naming sandbox paths are rewritten too; other values stay', () => {
  assert.deepEqual(hostEnv({ CLAWGYM_INSTRUCTION_FILE: '/clawgym/instruction.md', STATE: '/root/.openclaw/workspace/.state', URL: 'http://127.0.0.1:18080/s/x/v1', ID: 'task-1' }, req), {
    CLAWGYM_INSTRUCTION_FILE: '/host/io/instruction.md',
    STATE: '/host/trial/workspace/.state',
    URL: 'http://127.0.0.1:18080/s/x/v1',
    ID: 'task-1',
  });
});

test('--sandbox none runs a command whose environment names the host file', async () => {
  const root = tempDir();
  const io = join(root, 'io');
  const ws = join(root, 'ws');
  mkdirSync(io);
  mkdirSync(ws);
  writeFileSync(join(io, 'instruction.md'), 'the instruction');
  const r = await new HostSandbox().run({
    argv: ['bash', '-c', 'printf "%s|" "$CLAWGYM_INSTRUCTION_FILE"; cat "$CLAWGYM_INSTRUCTION_FILE"'],
    workspace: ws,
    mount: '/root/.openclaw/workspace',
    binds: [{ host: io, dest: '/clawgym', readOnly: true }],
    env: { CLAWGYM_INSTRUCTION_FILE: '/clawgym/instruction.md' },
    timeoutMs: 60_000,
  });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, `${join(io, 'instruction.md')}|the instruction`);
});
