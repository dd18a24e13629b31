/** --sandbox none: sandbox paths in a command line become the host folders they stand for. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostPaths } from '../../src/core/sandbox/sandbox.ts';

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
