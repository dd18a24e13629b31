/**
 * The environment server exposed: without the token nothing but an anonymous health check
 * answers (401, HTTP and WebSocket); /rollout calls only the base URLs the operator allowed (403);
 * fuzzed bodies and messages (truncated JSON, 10 MB, wrong types, unknown episodes, unknown
 * message types) get clear 4xx answers or OpenEnv error messages while the server keeps serving
 * and an open episode loses nothing; a full server says CAPACITY_REACHED; idle sessions are
 * reaped with a close code; MCP JSON-RPC lists and calls tools; `--host 0.0.0.0` without a token
 * refuses to start.
 */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { EnvProc } from '../env-proc.ts';
import { runCli, tempDir, writeTask } from '../helpers.ts';

const dir = tempDir();
chmodSync(dir, 0o755);
const tasks = join(dir, 'tasks');
let env: EnvProc;

before(async () => {
  writeTask(tasks, { id: 'tiny', instruction: 'Write hello to out.txt', timeout_sec: 60, verify: { checks: [{ id: 'out', type: 'text_equals', path: 'out.txt', text: 'hello' }] } }, { 'workspace/in.txt': 'x\n' });
  env = new EnvProc(['--tasks', tasks, '--max-episodes', '3', '--idle-timeout', '5', '--max-body-mb', '1', '--allow-base-url', 'http://127.0.0.1:9/v1', '--quiet']);
  await env.ready;
});

after(async () => {
  await env?.stop();
});

/** A WebSocket to the server; every message it receives, and how it closed. */
function socket(path: string, headers: Record<string, string> = env.auth) {
  const ws = new WebSocket(`${env.url.replace('http', 'ws')}${path}`, { headers });
  const got: any[] = [];
  let wake = () => {};
  ws.on('message', (d) => {
    got.push(JSON.parse(d.toString()));
    wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
  const next = async (): Promise<any> => {
    while (!got.length) await new Promise<void>((r) => (wake = r));
    return got.shift();
  };
  const ask = async (m: unknown) => {
    ws.send(typeof m === 'string' ? m : JSON.stringify(m));
    return next();
  };
  return { ws, opened, closed, next, ask };
}

test('no token, a wrong one: 401 on HTTP and on the WebSocket upgrade; an anonymous health check says only "healthy"', async () => {
  const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${Buffer.from('u:wrong').toString('base64')}` }];
  for (const headers of attempts) {
    const r = await env.post('/reset', { task_id: 'tiny' }, headers);
    assert.equal(r.status, 401, r.text);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await fetch(`${env.url}/tasks`, { headers })).status, 401);
    const s = socket('/ws', headers);
    await assert.rejects(s.opened, (e: { status?: number }) => e.status === 401);
  }
  assert.deepEqual(await env.get('/health', {}), { status: 'healthy' });
  assert.equal((await env.get('/health')).tasks, 1);
  // The token as the password of Basic credentials (what OpenEnv's client sends for http://user:token@host).
  const basic = { authorization: `Basic ${Buffer.from(`clawgym:${env.token}`).toString('base64')}` };
  assert.equal((await fetch(`${env.url}/tasks`, { headers: basic })).status, 200);
});

test('/rollout calls only allowed base URLs (403), never one with credentials in it', async () => {
  for (const base_url of ['http://169.254.169.254/latest', 'http://127.0.0.1:9/v2', 'http://127.0.0.1:10/v1', 'https://127.0.0.1:9/v1', 'http://u:p@127.0.0.1:9/v1']) {
    const r = await env.post('/rollout', { task_id: 'tiny', base_url, model: 'm', n: 1 });
    assert.equal(r.status, 403, `${base_url}: ${r.text}`);
    assert.equal(r.json.error.type, 'base_url_not_allowed');
  }
});

test('fuzzed HTTP bodies get 4xx, the server goes on, and an open episode loses nothing', { timeout: 60_000 }, async () => {
  const ep = (await env.post('/reset', { task_id: 'tiny' })).json.episode_id;
  await env.post('/step', { episode_id: ep, tool_call: { name: 'write', arguments: { path: 'out.txt', content: 'hello' } } });
  const cases: Array<[string, unknown, number]> = [
    ['/reset', '{"task_id": "tiny"', 400],
    ['/step', '{"episode_id": ', 400],
    ['/step', `{"episode_id": "${ep}", "tool_call": {"name": 5}}`, 400],
    ['/step', { episode_id: 'no-such-episode', tool_call: { name: 'read', arguments: { path: 'x' } } }, 404],
    ['/step', { episode_id: ep, tool_call: { name: 'read', arguments: [1, 2] } }, 400],
    ['/step', { action: { type: 'call_tool', tool_name: 7 } }, 422],
    ['/step', { action: { type: 'teleport' } }, 422],
    ['/step', { action: 'exec ls' }, 422],
    ['/step', [1, 2, 3], 400],
    ['/reset', { seed: 'abc' }, 400],
    ['/reset', { seed: -1.5, extra: true }, 422],
    ['/verify', { episode_id: 42 }, 400],
    ['/close', {}, 400],
    ['/group', { task_id: 'tiny', n: 0 }, 400],
    ['/mcp', '{"jsonrpc": "2.0", "method": ', 400],
    ['/mcp', { jsonrpc: '1.0', method: 'tools/list' }, 400],
    ['/nowhere', {}, 404],
    ['/reset', 'null', 422],
    ['/reset', `"${'x'.repeat(100)}"`, 422],
    ['/step', Buffer.alloc(10 * 1024 * 1024, 'a').toString(), 413],
    ['/reset', JSON.stringify({ task_id: 'tiny', pad: 'y'.repeat(2 * 1024 * 1024) }), 413],
  ];
  for (const [path, body, status] of cases) {
    const r = await env.post(path, body);
    assert.equal(r.status, status, `${path} ${String(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 80)}: ${r.text.slice(0, 300)}`);
    assert.ok(r.json?.error?.message, `a message for ${path}: ${r.text.slice(0, 200)}`);
  }
  assert.equal((await env.get('/health')).status, 'healthy');
  const v = await env.post('/verify', { episode_id: ep });
  assert.equal(v.json.reward, 1, 'the episode kept its work');
  assert.equal((await env.post('/close', { episode_id: ep })).status, 200);
  assert.equal((await env.post('/step', { episode_id: ep, tool_call: { name: 'read', arguments: {} } })).status, 410, 'closed: gone');
});

test('fuzzed WebSocket messages get OpenEnv error messages and the session goes on; an oversized one closes it (1009)', { timeout: 60_000 }, async () => {
  const s = socket('/ws');
  await s.opened;
  const errors: Array<[unknown, string]> = [
    ['{"type": "reset"', 'INVALID_JSON'],
    [{ type: 'teleport' }, 'UNKNOWN_TYPE'],
    [{ data: {} }, 'UNKNOWN_TYPE'],
    [{ type: 'step', data: { type: 'call_tool', tool_name: 'read', arguments: { path: 'x' } } }, 'EXECUTION_ERROR'],
    [{ type: 'step', data: { type: 'call_tool' } }, 'VALIDATION_ERROR'],
    [{ type: 'reset', data: { task_id: 'no-such-task' } }, 'VALIDATION_ERROR'],
    [{ type: 'reset', data: { seed: 'x' } }, 'VALIDATION_ERROR'],
    [{ type: 'step', data: 'ls' }, 'VALIDATION_ERROR'],
  ];
  for (const [m, code] of errors) {
    const a = await s.ask(m);
    assert.equal(a.type, 'error', JSON.stringify(a));
    assert.equal(a.data.code, code, `${JSON.stringify(m)}: ${JSON.stringify(a)}`);
  }
  const r = await s.ask({ type: 'reset', data: { task_id: 'tiny', learning_rate: 3 } });
  assert.equal(r.type, 'observation');
  assert.deepEqual(r.data.observation.metadata.ignored_reset_keys, ['learning_rate']);
  for (const [m, code] of [
    [{ type: 'step', data: { type: 'call_tool', tool_name: 'write', arguments: 'x' } }, 'VALIDATION_ERROR'],
    [{ type: 'step', data: { type: 'warp' } }, 'VALIDATION_ERROR'],
  ] as const) assert.equal((await s.ask(m)).data.code, code);
  const unknownTool = await s.ask({ type: 'step', data: { type: 'call_tool', tool_name: 'browse', arguments: {} } });
  assert.equal(unknownTool.type, 'observation');
  assert.equal(unknownTool.data.observation.error.error_type, 'tool_not_found');
  const w = await s.ask({ type: 'step', data: { type: 'call_tool', tool_name: 'write', arguments: { path: 'out.txt', content: 'hello' } } });
  assert.equal(w.data.observation.result.is_error, false);
  // MCP on the session's episode.
  const listed = await s.ask({ type: 'mcp', data: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
  assert.deepEqual(listed.data.result.tools.map((t: { name: string }) => t.name).sort(), ['edit', 'exec', 'process', 'read', 'write']);
  const read = await s.ask({ type: 'mcp', data: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'read', arguments: { path: 'out.txt' } } } });
  assert.equal(read.data.result.data, 'hello', 'the session’s own workspace');
  const f = await s.ask({ type: 'step', data: { type: 'finish' } });
  assert.deepEqual([f.data.reward, f.data.done], [1, true]);
  s.ws.send('x'.repeat(2 * 1024 * 1024));
  assert.equal((await s.closed).code, 1009);
  assert.equal((await env.get('/health')).status, 'healthy');
});

/** Slots are given back once a session's sandbox is gone: wait for all of them. */
async function allSlotsFree(): Promise<void> {
  const t0 = Date.now();
  while ((await env.get('/health')).episodes.used > 0) {
    assert.ok(Date.now() - t0 < 10_000, 'every slot is given back');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a full server: CAPACITY_REACHED, then the socket closes (1013); an idle session is reaped (4408)', { timeout: 60_000 }, async () => {
  await allSlotsFree();
  const held = [socket('/ws'), socket('/ws'), socket('/ws')];
  await Promise.all(held.map((s) => s.opened));
  for (const s of held) assert.equal((await s.ask({ type: 'state' })).type, 'state');
  const extra = socket('/ws');
  await extra.opened;
  const e = await extra.next();
  assert.deepEqual([e.type, e.data.code, e.data.max_sessions], ['error', 'CAPACITY_REACHED', 3]);
  assert.equal((await extra.closed).code, 1013);
  assert.equal((await env.post('/reset', { task_id: 'tiny' })).status, 429);
  // --idle-timeout 5: untouched sessions are closed with 4408 and free their slots.
  for (const s of held) assert.equal((await s.closed).code, 4408);
  await allSlotsFree();
});

test('MCP over HTTP: initialize, tools/list, a stateless tools/call, a session with its reward', { timeout: 60_000 }, async () => {
  const rpc = async (method: string, params: Record<string, unknown> = {}, id: number | undefined = 1) => (await env.post('/mcp', { jsonrpc: '2.0', method, params, ...(id === undefined ? {} : { id }) })).json;
  assert.equal((await rpc('initialize', { protocolVersion: '2025-06-18' })).result.serverInfo.name, 'clawgym');
  assert.equal((await env.post('/mcp', { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
  assert.equal((await rpc('tools/list')).result.tools.length, 5);
  const once = await rpc('tools/call', { name: 'exec', arguments: { command: 'ls' } });
  assert.equal(once.result.content[0].text, 'in.txt');
  assert.equal((await rpc('tools/call', { name: 'nope', arguments: {} })).error.code, -32602);
  assert.equal((await rpc('no/such')).error.code, -32601);
  const session = (await rpc('openenv/session/create', { task_id: 'tiny' })).result.session_id;
  assert.equal((await rpc('tools/call', { name: 'write', arguments: { path: 'out.txt', content: 'hello' }, session_id: session })).result.isError, false);
  const done = (await rpc('clawgym/finish', { session_id: session })).result;
  assert.deepEqual([done.reward, done.done], [1, true]);
  assert.equal((await rpc('openenv/session/close', { session_id: session })).result.closed, true);
  assert.equal((await rpc('tools/call', { name: 'read', arguments: { path: 'x' }, session_id: session })).error.code, -32602);
});

test('serve env --host 0.0.0.0 without a token refuses to start; --no-auth is for loopback only', async () => {
  const r = await runCli(['serve', 'env', '--tasks', tasks, '--host', '0.0.0.0', '--port', '0'], { env: { CLAWGYM_ENV_TOKEN: '' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /needs a token of your own: --token/);
  const n = await runCli(['serve', 'env', '--tasks', tasks, '--host', '0.0.0.0', '--port', '0', '--no-auth']);
  assert.equal(n.code, 2);
  assert.match(n.stderr, /--no-auth is only for a loopback address/);
  const short = await runCli(['serve', 'env', '--tasks', tasks, '--token', 'short']);
  assert.equal(short.code, 2);
  assert.match(short.stderr, /--token/);
});
