/**
 * The recording proxy and a client that hangs up the moment the chunk carrying finish_reason
 * arrives (OpenClaw does): the call is still recorded whole — message and usage — and the
 * session's trajectory keeps the final answer. A hang-up before finish_reason is still a broken
 * call.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers.ts';
import { RecordingProxy } from '../../src/core/llm/proxy/proxy.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';

const chunk = (o: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'up-model', ...o })}\n\n`;

/** An upstream that sends the answer and finish_reason, then holds the usage chunk until `release` (or holds from before finish_reason). */
function upstream(hold: 'before-finish' | 'before-usage' = 'before-usage'): Promise<{ server: Server; url: string; release: () => void; closedEarly: () => boolean }> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let closedEarly = false;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.on('close', () => {
        if (!res.writableFinished) closedEarly = true;
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'The answer ' }, finish_reason: null }] }));
      if (hold === 'before-finish') await held;
      if (res.destroyed) return;
      res.write(chunk({ choices: [{ index: 0, delta: { content: 'is 42.' }, finish_reason: null }] }));
      res.write(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
      if (hold === 'before-usage') await held;
      if (res.destroyed) return;
      res.write(chunk({ choices: [], usage: { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290 } }));
      res.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, release, closedEarly: () => closedEarly })),
  );
}

/** A plain node:http client that destroys its socket as soon as it has seen `until` in the stream. */
function hangUpAfter(base: string, session: string, until: RegExp): Promise<string> {
  const u = new URL(`${base}/chat/completions`);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'x-clawgym-session': session } }, (res) => {
      let seen = '';
      res.on('data', (d: Buffer) => {
        seen += d.toString('utf8');
        if (until.test(seen)) {
          req.destroy();
          resolve(seen);
        }
      });
      res.on('end', () => resolve(seen));
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end(JSON.stringify({ model: 'up-model', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'What is the answer?' }] }));
  });
}

async function recorded(file: string): Promise<void> {
  for (let i = 0; i < 1200 && !(existsSync(file) && readFileSync(file, 'utf8').trim()); i++) await new Promise((r) => setTimeout(r, 50));
}

async function settle(up: { release: () => void; closedEarly: () => boolean }): Promise<void> {
  // Give the proxy its chance to see the hang-up (and, before the fix, to abort upstream) first.
  for (let i = 0; i < 20 && !up.closedEarly(); i++) await new Promise((r) => setTimeout(r, 50));
  up.release();
}

test('a client that hangs up right after finish_reason: the call is recorded whole, with usage, and the trajectory keeps the answer', async () => {
  const up = await upstream();
  const dir = tempDir();
  const proxy = new RecordingProxy({ upstream: up.url, out: dir });
  const base = await proxy.listen(0);
  try {
    const seen = await hangUpAfter(base, 'hangup', /"finish_reason":"stop"/);
    assert.match(seen, /is 42\./);
    await settle(up);
    // The proxy finishes reading upstream on its own; wait for the recording to land.
    await recorded(join(dir, 'hangup', 'calls.jsonl'));
  } finally {
    up.release();
    await proxy.close();
    up.server.close();
  }
  assert.equal(up.closedEarly(), false, 'the proxy cancelled the upstream call although the answer was whole');
  const [call] = readFileSync(join(dir, 'hangup', 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(call.error, null);
  assert.equal(call.response.body.message.content, 'The answer is 42.');
  assert.equal(call.response.body.finish_reason, 'stop');
  assert.deepEqual(call.usage, { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290 });
  const t = AtifTrajectory.parse(JSON.parse(readFileSync(join(dir, 'hangup', 'trajectory.json'), 'utf8')));
  assert.equal(t.steps.at(-1)!.source, 'agent');
  assert.equal(t.steps.at(-1)!.message, 'The answer is 42.');
  assert.equal(t.steps.at(-1)!.metrics?.prompt_tokens, 1234);
  assert.equal(t.extra?.recorded_turns, 1);
});

test('a client that hangs up before finish_reason: the call is cancelled upstream and recorded as broken off', async () => {
  const up = await upstream('before-finish');
  const dir = tempDir();
  const proxy = new RecordingProxy({ upstream: up.url, out: dir });
  const base = await proxy.listen(0);
  try {
    await hangUpAfter(base, 'early', /The answer /);
    await recorded(join(dir, 'early', 'calls.jsonl'));
    // Wait for the cancellation before the upstream may go on: released, it could finish first.
    for (let i = 0; i < 400 && !up.closedEarly(); i++) await new Promise((r) => setTimeout(r, 50));
  } finally {
    up.release();
    await proxy.close();
    up.server.close();
  }
  assert.equal(up.closedEarly(), true, 'a half answer should cancel the upstream call');
  const [call] = readFileSync(join(dir, 'early', 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.match(call.error.message, /stream broke off/);
});
