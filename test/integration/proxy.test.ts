/**
 * The recording proxy between black-box programs and a real HTTP Chat Completions server: streamed
 * and plain calls pass through, sessions (header, path, model suffix — stripped upstream) are
 * recorded and become valid ATIF trajectories, and no key lands in a recording. Then `run --agent
 * command --record`: a script in the bwrap sandbox (no network) reaches the proxy through the
 * bound socket and its conversation becomes the trial's trajectory.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { CLI, runCli, tempDir, writeTask } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecordingProxy } from '../../src/core/llm/proxy/proxy.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';

const CLIENT_KEY = 'sk-clawgym-client-0a1b2c3d4e5f60718293';
const UPSTREAM_KEY = 'sk-clawgym-upstream-f9e8d7c6b5a4039281';
const llm = new MockLlm();
let proxy: ChildProcess;
let proxyUrl = '';
let out = '';

/** A black-box client: plain HTTP from a separate node process, a streamed call then a plain one. */
const CLIENT_JS = `
const [base, session] = process.argv.slice(2);
const headers = { 'content-type': 'application/json', authorization: 'Bearer ${CLIENT_KEY}' };
const messages = [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello, then read a.txt.' }];
async function main() {
  const r1 = await fetch(base + '/chat/completions', { method: 'POST', headers, body: JSON.stringify({ model: 'mock-model@' + session, stream: true, messages }) });
  const text = await r1.text();
  const events = text.split('\\n\\n').filter((e) => e.startsWith('data: ') && !e.includes('[DONE]')).map((e) => JSON.parse(e.slice(6)));
  const content = events.map((e) => e.choices[0]?.delta?.content ?? '').join('');
  messages.push({ role: 'assistant', content });
  messages.push({ role: 'user', content: 'Now read it.' });
  const r2 = await fetch(base + '/chat/completions', { method: 'POST', headers, body: JSON.stringify({ model: 'mock-model@' + session, messages }) });
  const j = await r2.json();
  messages.push(j.choices[0].message);
  messages.push({ role: 'tool', tool_call_id: j.choices[0].message.tool_calls[0].id, content: 'contents of a.txt' });
  const r3 = await fetch(base + '/chat/completions', { method: 'POST', headers, body: JSON.stringify({ model: 'mock-model@' + session, messages }) });
  const last = await r3.json();
  const models = await (await fetch(base + '/models', { headers })).json();
  console.log(JSON.stringify({ streamed: content, chunks: events.length, final: last.choices[0].message.content, models: models.data.map((m) => m.id) }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

before(async () => {
  await llm.start();
  out = join(tempDir('clawgym-proxy-'), 'recordings');
  proxy = spawn(process.execPath, [CLI, 'proxy', '--upstream', llm.url, '--port', '0', '--out', out, '--json'], { env: { ...process.env, OPENAI_API_KEY: UPSTREAM_KEY, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proxy.stdout! }).once('line', resolve);
    proxy.once('exit', (c) => reject(new Error(`proxy exited ${c}`)));
  });
  proxyUrl = JSON.parse(first).url;
});
after(async () => {
  if (proxy.exitCode === null) {
    proxy.kill('SIGTERM');
    await new Promise((r) => proxy.once('exit', r));
  }
  await llm.stop();
});

function runClient(base: string, session: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'client.mjs'), CLIENT_JS);
  return new Promise((res) => {
    const c = spawn(process.execPath, [join(dir, 'client.mjs'), base, session], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => res({ code, stdout, stderr }));
  });
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

const SCRIPT = [
  { content: 'Hello there, friend!' },
  { content: 'Reading.', tool_calls: [{ id: 'call_read_1', name: 'read', arguments: { path: 'a.txt' } }] },
  { content: 'It says: contents of a.txt' },
];

test('a black-box client streams and calls through the proxy; the session becomes an ATIF trajectory', async () => {
  llm.setScript(SCRIPT);
  llm.requests.length = 0;
  const r = await runClient(proxyUrl, 'sess-one');
  assert.equal(r.code, 0, r.stderr);
  const seen = JSON.parse(r.stdout);
  // The stream arrived as a stream (many SSE events) and whole.
  assert.equal(seen.streamed, 'Hello there, friend!');
  assert.ok(seen.chunks > 3, `${seen.chunks} chunks`);
  assert.equal(seen.final, 'It says: contents of a.txt');
  assert.deepEqual(seen.models, ['mock-model']);
  // Upstream: the suffix stripped, the client's key forwarded as it is.
  const chats = llm.requests.filter((q) => q.path.endsWith('/chat/completions'));
  assert.equal(chats.length, 3);
  for (const q of chats) {
    assert.equal(q.body.model, 'mock-model');
    assert.equal(q.headers.authorization, `Bearer ${CLIENT_KEY}`);
    assert.equal(q.headers['x-clawgym-session'], undefined);
  }
  assert.equal(chats[0]!.body.stream, true);

  const end = await fetch(`${proxyUrl.replace(/\/v1$/, '')}/sessions/sess-one/end`, { method: 'POST' });
  assert.equal(end.status, 200);
  const ended = (await end.json()) as { trajectory: string; calls: number };
  assert.equal(ended.calls, 3);
  assert.equal(ended.trajectory, join(out, 'sess-one', 'trajectory.json'));
  const t = AtifTrajectory.parse(JSON.parse(readFileSync(ended.trajectory, 'utf8')));
  assert.equal(t.session_id, 'sess-one');
  assert.deepEqual(
    t.steps.map((s) => s.source),
    ['system', 'user', 'agent', 'user', 'agent', 'agent'],
  );
  assert.equal(t.steps[2]!.message, 'Hello there, friend!');
  const toolStep = t.steps[4]!;
  assert.equal(toolStep.tool_calls![0]!.function_name, 'read');
  assert.deepEqual(toolStep.tool_calls![0]!.arguments, { path: 'a.txt' });
  assert.deepEqual(toolStep.observation!.results, [{ source_call_id: 'call_read_1', content: 'contents of a.txt' }]);
  assert.equal(t.steps[5]!.message, 'It says: contents of a.txt');
  // Every agent turn was one recorded call: its usage is attached.
  for (const s of t.steps.filter((x) => x.source === 'agent')) assert.equal(s.metrics?.prompt_tokens, 100);
  assert.equal(t.final_metrics?.total_prompt_tokens, 300);

  const calls = readFileSync(join(out, 'sess-one', 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(calls.length, 3);
  assert.equal(calls[0].stream, true);
  assert.equal(calls[0].response.body.message.content, 'Hello there, friend!');
  assert.ok(calls[0].response.chunks > 3);
  assert.equal(calls[0].request.body.model, 'mock-model');
  assert.equal(calls[0].request.headers.authorization, 'Bearer [REDACTED]');
});

test('sessions by header and by base-URL path; the upstream key is used when the client sends none; no key is recorded', async () => {
  llm.setScript([{ content: 'by header' }, { content: 'by path' }]);
  llm.requests.length = 0;
  const h = await fetch(`${proxyUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-clawgym-session': 'sess-header' }, body: JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] }) });
  assert.equal(h.status, 200);
  const p = await fetch(`${proxyUrl.replace(/\/v1$/, '')}/s/sess-path/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }, body: JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] }) });
  assert.equal(p.status, 200);
  assert.equal(llm.requests[0]!.headers.authorization, `Bearer ${UPSTREAM_KEY}`);
  assert.equal(llm.requests[1]!.headers.authorization, `Bearer ${CLIENT_KEY}`);
  const bad = await fetch(`${proxyUrl}/chat/completions`, { method: 'POST', headers: { 'x-clawgym-session': '../escape' }, body: '{"model":"m","messages":[]}' });
  assert.equal(bad.status, 400);

  // Shutting the proxy down ends every open session.
  proxy.kill('SIGTERM');
  const lines: string[] = [];
  createInterface({ input: proxy.stdout! }).on('line', (l) => lines.push(l));
  await new Promise((r) => proxy.once('exit', r));
  const ends = lines.map((l) => JSON.parse(l)).filter((e) => e.event === 'session_end');
  assert.deepEqual(ends.map((e) => e.session).sort(), ['sess-header', 'sess-path']);
  for (const s of ['sess-header', 'sess-path']) AtifTrajectory.parse(JSON.parse(readFileSync(join(out, s, 'trajectory.json'), 'utf8')));
  for (const f of allFiles(out)) {
    const text = readFileSync(f, 'utf8');
    assert.ok(!text.includes(CLIENT_KEY) && !text.includes(UPSTREAM_KEY), `a key is in ${f}`);
  }
});

/** A black-box agent in Python (stdlib HTTP), as a real agent would be: OPENAI_BASE_URL and OPENAI_API_KEY from its environment, the instruction on stdin. */
const AGENT_PY = `
import json, os, sys, urllib.request
base, key = os.environ["OPENAI_BASE_URL"], os.environ["OPENAI_API_KEY"]
def call(body):
    req = urllib.request.Request(base + "/chat/completions", data=json.dumps(body).encode(), headers={"content-type": "application/json", "authorization": "Bearer " + key})
    return urllib.request.urlopen(req, timeout=30)
msgs = [{"role": "user", "content": sys.stdin.read()}]
with call({"model": "mock-model", "stream": True, "messages": msgs}) as r:
    raw = r.read().decode()
text = "".join(json.loads(e[6:])["choices"][0]["delta"].get("content") or "" for e in raw.split("\\n\\n") if e.startswith("data: {") and json.loads(e[6:])["choices"])
msgs.append({"role": "assistant", "content": text})
msgs.append({"role": "user", "content": "and the answer?"})
with call({"model": "mock-model", "messages": msgs}) as r:
    answer = json.load(r)["choices"][0]["message"]["content"]
open("answer.txt", "w").write(answer + "\\n")
print("agent done")
`;

for (const sandbox of ['bwrap', 'none'] as const) {
  test(`run --agent command --record (sandbox ${sandbox}): the agent's calls become the trial's trajectory; the key never reaches the agent or the run`, async () => {
    llm.setScript([{ content: 'Thinking about it.' }, { content: '42' }]);
    llm.requests.length = 0;
    const root = tempDir();
    const task = writeTask(root, { id: 'answer-task', instruction: 'Write the answer to answer.txt.', verify: { checks: [{ id: 'answer', type: 'text_contains', path: 'answer.txt', text: '42' }] } });
    writeFileSync(join(task, 'workspace', 'agent.py'), AGENT_PY);
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ api_key: UPSTREAM_KEY }));
    const runDir = join(root, 'run');
    const r = await runCli(['run', task, '--agent', 'command', '--command', 'python3 agent.py', '--record', '--base-url', llm.url, '--config', config, '--sandbox', sandbox, '--out', runDir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const line = JSON.parse(readFileSync(join(runDir, 'results.jsonl'), 'utf8').trim());
    const trial = join(runDir, 'trials', 'answer-task', '1');
    assert.equal(line.reward, 1, `${line.error}\n${readFileSync(join(trial, 'logs', 'agent.stderr'), 'utf8')}`);
    // Upstream got the real key from ClawGym's settings, not the agent's placeholder.
    assert.equal(llm.requests.length, 2);
    for (const q of llm.requests) assert.equal(q.headers.authorization, `Bearer ${UPSTREAM_KEY}`);
    const t = AtifTrajectory.parse(JSON.parse(readFileSync(join(trial, 'trajectory.json'), 'utf8')));
    assert.deepEqual(
      t.steps.map((s) => [s.source, s.message]),
      [
        ['user', 'Write the answer to answer.txt.'],
        ['agent', 'Thinking about it.'],
        ['user', 'and the answer?'],
        ['agent', '42'],
      ],
    );
    assert.equal(t.extra?.task_id, 'answer-task');
    const calls = readFileSync(join(trial, 'llm', 'calls.jsonl'), 'utf8').trim().split('\n');
    assert.equal(calls.length, 2);
    assert.equal(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).agent.record, true);
    for (const f of allFiles(runDir)) assert.ok(!readFileSync(f).includes(UPSTREAM_KEY), `the key is in ${f}`);
  });
}

test('a stream is passed on chunk by chunk as it arrives, not when the upstream is done', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const chunk = (content: string, finish: string | null = null) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', model: 'slow', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('first '));
      await held; // the rest only once the client has seen the first chunk
      res.write(chunk('second', 'stop'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const dir = tempDir();
  const p = new RecordingProxy({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`, out: dir });
  const base = await p.listen(0);
  try {
    const r = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'x-clawgym-session': 'slow' }, body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'go' }] }) });
    const reader = r.body!.getReader();
    const first = await Promise.race([reader.read(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('the first chunk was held back')), 3000))]);
    assert.match(new TextDecoder().decode(first.value), /first /);
    release();
    let rest = '';
    for (let x = await reader.read(); !x.done; x = await reader.read()) rest += new TextDecoder().decode(x.value);
    assert.match(rest, /second/);
  } finally {
    release();
    await p.close();
    upstream.close();
  }
  const t = AtifTrajectory.parse(JSON.parse(readFileSync(join(dir, 'slow', 'trajectory.json'), 'utf8')));
  assert.equal(t.steps.at(-1)!.message, 'first second');
});

test('--record needs --agent command', async () => {
  const r = await runCli(['run', tempDir(), '--agent', 'nop', '--record']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--record needs --agent command/);
});
