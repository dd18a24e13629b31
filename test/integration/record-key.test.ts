/**
 * `--record` against a hosted upstream with no key on the host is refused before any trial
 * (exit 2, nothing run), instead of every agent starting only to hit a 401; a local server (a
 * loopback or private address) needs none; a key from the config file is enough.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir, writeTask } from '../helpers.ts';
import { checkRecordUpstream } from '../../src/core/agents/spec.ts';

test('the rule: a hosted upstream needs a key; loopback, private networks and LAN names do not', () => {
  for (const url of ['https://api.openai.com/v1', 'https://openrouter.ai/api/v1', 'http://8.8.8.8/v1']) assert.throws(() => checkRecordUpstream(url, false), /needs an API key and none is set/, url);
  for (const url of ['http://127.0.0.1:8000/v1', 'http://localhost:11434/v1', 'http://[::1]:8000/v1', 'http://10.1.2.3/v1', 'http://192.168.1.5:1234/v1', 'http://172.20.0.2/v1', 'http://vllm:8000/v1', 'http://gpu-box.local/v1']) {
    assert.doesNotThrow(() => checkRecordUpstream(url, false), url);
  }
  assert.doesNotThrow(() => checkRecordUpstream('https://api.openai.com/v1', true));
});

test('run --record with no key for a hosted upstream: a usage error before any trial; with a key in the config it gets past the check', async () => {
  const root = tempDir();
  const task = writeTask(root, { id: 'keyless', instruction: 'Do nothing.', verify: { checks: [{ id: 'none', type: 'file_absent', path: 'x.txt' }] } });
  const out = join(root, 'run');
  // No key anywhere: not in the environment, no config file under this HOME.
  const env = { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', HOME: root, XDG_CONFIG_HOME: join(root, 'xdg') };
  const r = await runCli(['run', task, '--agent', 'command', '--command', 'true', '--record', '--base-url', 'https://api.openai.com/v1', '--sandbox', 'none', '--out', out], { env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--record: the upstream https:\/\/api\.openai\.com\/v1 needs an API key and none is set on this host/);
  assert.ok(!existsSync(join(out, 'results.jsonl')), 'a trial ran');
  assert.ok(!existsSync(join(out, 'trials')), 'a trial folder was made');

  const config = join(root, 'config.json');
  writeFileSync(config, JSON.stringify({ api_key: 'sk-clawgym-record-key-0123456789' }));
  // The agent makes no model call, so nothing reaches the hosted endpoint: the run just goes ahead.
  const ok = await runCli(['run', task, '--agent', 'command', '--command', 'true', '--record', '--base-url', 'https://api.openai.com/v1', '--config', config, '--sandbox', 'none', '--out', join(root, 'run2'), '--json'], { env });
  assert.equal(ok.code, 0, ok.stderr);
});
