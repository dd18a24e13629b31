/** The LLM client's parts: settings precedence, retry timing, redaction, streaming assembly, concurrency; ATIF rules; tool aliases. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveLlmSettings } from '../../src/core/llm/config.ts';
import { LlmClient } from '../../src/core/llm/client.ts';
import { redact, redactHeaders } from '../../src/core/llm/redact.ts';
import { backoffDelay, DEFAULT_RETRY, retryAfterMs } from '../../src/core/llm/retry.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';
import { TrajectoryBuilder } from '../../src/core/trace/builder.ts';
import { normaliseArgs, parseArguments, ToolInputError } from '../../src/core/agents/claw/tools.ts';
import { truncateHead, truncateTail } from '../../src/core/agents/claw/truncate.ts';
import { LlmError } from '../../src/core/errors.ts';
import { tempDir } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';

test('settings: options beat the environment, which beats the config file', () => {
  const dir = tempDir();
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ base_url: 'http://file/v1', api_key: 'file-key-123456', model: 'file-model', prices: { m: { input_per_mtok: 1, output_per_mtok: 2 } } }));
  const fromFile = resolveLlmSettings({ configPath: file, env: {} });
  assert.deepEqual([fromFile.baseUrl, fromFile.apiKey, fromFile.model], ['http://file/v1', 'file-key-123456', 'file-model']);
  const fromEnv = resolveLlmSettings({ configPath: file, env: { OPENAI_BASE_URL: 'http://env/v1/', OPENAI_API_KEY: 'env-key-123456' } });
  assert.deepEqual([fromEnv.baseUrl, fromEnv.apiKey], ['http://env/v1', 'env-key-123456']);
  const fromOpts = resolveLlmSettings({ configPath: file, baseUrl: 'http://opt/v1', model: 'opt', env: { OPENAI_BASE_URL: 'http://env/v1' } });
  assert.deepEqual([fromOpts.baseUrl, fromOpts.model], ['http://opt/v1', 'opt']);
  assert.throws(() => resolveLlmSettings({ env: { XDG_CONFIG_HOME: dir } }), /no model/);
  assert.throws(() => resolveLlmSettings({ configPath: join(dir, 'nope.json'), model: 'x' }), /does not exist/);
  writeFileSync(file, JSON.stringify({ api_key: 'secret-value-xyz', bogus: 1 }));
  assert.throws(() => resolveLlmSettings({ configPath: file, model: 'x' }), (e: Error) => !e.message.includes('secret-value-xyz') && /bogus|Unrecognized/.test(e.message));
});

test('retry timing: exponential backoff with full jitter, Retry-After as a floor', () => {
  const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffDelay(0, p, undefined, () => 1), 100);
  assert.equal(backoffDelay(3, p, undefined, () => 1), 800);
  assert.equal(backoffDelay(10, p, undefined, () => 1), 1000);
  assert.equal(backoffDelay(2, p, undefined, () => 0.5), 200);
  assert.equal(backoffDelay(0, p, 5000, () => 1), 5000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '150' })), 150);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': new Date(Date.now() + 3000).toUTCString() }))! > 1000, true);
  assert.equal(retryAfterMs(new Headers({})), undefined);
});

test('redaction: secret headers, secret fields, and the key wherever it appears', () => {
  assert.deepEqual(redactHeaders({ Authorization: 'Bearer sk-abc', 'api-key': 'k', accept: 'x' }), { Authorization: 'Bearer [REDACTED]', 'api-key': '[REDACTED]', accept: 'x' });
  const out = redact({ a: 'the key is sk-live-0123456789', nested: [{ api_key: 'whatever' }], n: 1 }, ['sk-live-0123456789']);
  assert.deepEqual(out, { a: 'the key is [REDACTED]', nested: [{ api_key: '[REDACTED]' }], n: 1 });
});

test('client: streamed tool calls are assembled; usage and cost; a 401 is a usage error, not retried', async () => {
  const llm = await new MockLlm([{ content: 'hmm', reasoning: 'think', tool_calls: [{ name: 'read', arguments: { path: 'a.txt' } }, { name: 'exec', arguments: { command: 'ls -la' } }] }, { status: 401 }]).start();
  try {
    const c = new LlmClient({ baseUrl: llm.url, apiKey: 'sk-unit-0123456789', model: 'm', maxConcurrency: 2, timeoutMs: 5000, maxRetries: 2, prices: { m: { input_per_mtok: 10, output_per_mtok: 20 } } });
    const deltas: string[] = [];
    const r = await c.chat({ messages: [{ role: 'user', content: 'hi' }] }, { stream: true, onDelta: (d) => d.content && deltas.push(d.content) });
    assert.equal(r.content, 'hmm');
    assert.equal(r.reasoning_content, 'think');
    assert.deepEqual(r.tool_calls.map((t) => [t.name, JSON.parse(t.arguments)]), [['read', { path: 'a.txt' }], ['exec', { command: 'ls -la' }]]);
    assert.equal(deltas.join(''), 'hmm');
    assert.deepEqual(r.usage, { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
    assert.ok(Math.abs(r.cost_usd! - (100 * 10 + 20 * 20) / 1e6) < 1e-12);
    await assert.rejects(c.chat({ messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof LlmError && e.kind === 'usage' && e.attempts === 1);
    assert.equal(llm.requests.length, 2);
  } finally {
    await llm.stop();
  }
});

test('client: at most max_concurrency requests in flight per endpoint', async () => {
  let inFlight = 0;
  let peak = 0;
  const llm = await new MockLlm(() => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    setTimeout(() => inFlight--, 80);
    return { content: 'ok', delayMs: 80 };
  }).start();
  try {
    const c = new LlmClient({ baseUrl: llm.url, apiKey: undefined, model: 'm', maxConcurrency: 2, timeoutMs: 5000, maxRetries: 0, prices: {} });
    await Promise.all(Array.from({ length: 6 }, () => c.chat({ messages: [{ role: 'user', content: 'x' }] })));
    assert.equal(peak, 2);
  } finally {
    await llm.stop();
  }
});

test('ATIF: the builder writes what the schema accepts; the schema rejects broken trajectories', () => {
  const b = new TrajectoryBuilder('s1', { name: 'a', version: '1', model_name: 'm' });
  b.system('sys');
  b.user('do it');
  const st = b.agentStep({ message: '', tool_calls: [{ tool_call_id: 'c1', function_name: 'read', arguments: { path: 'x' } }], metrics: { prompt_tokens: 5, completion_tokens: 2, cost_usd: 0.1 } });
  b.observe(st, { source_call_id: 'c1', content: 'hello' });
  const t = AtifTrajectory.parse(b.build());
  assert.equal(t.final_metrics?.total_cost_usd, 0.1);
  const bad = JSON.parse(JSON.stringify(t));
  bad.steps[2].observation.results[0].source_call_id = 'nope';
  assert.equal(AtifTrajectory.safeParse(bad).success, false);
  const bad2 = JSON.parse(JSON.stringify(t));
  bad2.steps[1].step_id = 7;
  assert.equal(AtifTrajectory.safeParse(bad2).success, false);
  const bad3 = JSON.parse(JSON.stringify(t));
  bad3.steps[0].tool_calls = [];
  assert.equal(AtifTrajectory.safeParse(bad3).success, false);
});

test('tool arguments: aliases resolve to one name; bad input is a ToolInputError', () => {
  assert.deepEqual(normaliseArgs('read', { filePath: 'a' }).args, { path: 'a', offset: undefined, limit: undefined });
  assert.deepEqual(normaliseArgs('edit', { file: 'a', old_string: 'x', newString: 'y' }).args, { path: 'a', edits: [{ oldText: 'x', newText: 'y' }] });
  assert.deepEqual(normaliseArgs('write', { file_path: 'a', content: '' }).args, { path: 'a', content: '' });
  assert.throws(() => normaliseArgs('write', { path: 'a' }), ToolInputError);
  assert.throws(() => parseArguments('{"a":'), /not valid JSON/);
  assert.throws(() => parseArguments('[1]'), /JSON object/);
  assert.deepEqual(parseArguments(''), {});
});

test('truncation: head for files, tail for command output', () => {
  const t = truncateHead(Array.from({ length: 10 }, (_, i) => String(i)).join('\n'), 3, 1000);
  assert.deepEqual([t.text, t.truncated, t.lines, t.totalLines], ['0\n1\n2', true, 3, 10]);
  assert.equal(truncateHead('x'.repeat(100), 10, 50).firstLineTooLong, true);
  const tail = truncateTail('a\nb\nc\nd', 2, 1000);
  assert.deepEqual([tail.text, tail.truncated], ['c\nd', true]);
  assert.equal(truncateTail('y'.repeat(100), 10, 40).text.length, 40);
});
