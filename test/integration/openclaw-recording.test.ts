/**
 * Recordings of an OpenClaw-shaped client (test/openclaw-like-client.ts: streaming with
 * include_usage, a runtime-context user message on every request, tool call ids renamed in the
 * history, a hang-up at finish_reason) through the real recording proxy: the trajectory has the
 * real turn sequence — the context is no step, it is kept in `extra.request_context` — every
 * agent turn has its call's usage, the final answer is there, and `export sft` keeps the example
 * in all three formats (ShareGPT used to drop it for "breaking user/model alternation").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, tempDir } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';
import { contextCarrier, openclawLike } from '../openclaw-like-client.ts';
import { RecordingProxy } from '../../src/core/llm/proxy/proxy.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';

const llm = new MockLlm();
let recordings = '';
const TOOLS = ['read', 'exec'].map((name) => ({ type: 'function', function: { name, description: `the ${name} tool`, parameters: { type: 'object', properties: { path: { type: 'string' }, command: { type: 'string' } } } } }));

before(async () => {
  await llm.start();
  llm.setScript([
    { content: 'Reading the notes.', tool_calls: [{ name: 'read', arguments: { path: 'notes.txt' } }], usage: { prompt_tokens: 1000, completion_tokens: 10 } },
    { tool_calls: [{ name: 'exec', arguments: { command: 'wc -l notes.txt' } }], usage: { prompt_tokens: 1100, completion_tokens: 11 } },
    { content: 'notes.txt has 3 lines.', usage: { prompt_tokens: 1200, completion_tokens: 12 } },
  ]);
  recordings = join(tempDir('clawgym-openclaw-rec-'), 'recordings');
  const proxy = new RecordingProxy({ upstream: llm.url, out: recordings });
  const base = await proxy.listen(0);
  try {
    const r = await openclawLike({ base, session: 'oc-1', model: 'mock-model', system: 'You are a personal assistant running inside OpenClaw.', instruction: 'How many lines has notes.txt?', tools: TOOLS, runTool: (name) => (name === 'read' ? 'a\nb\nc\n' : '3 notes.txt') });
    assert.equal(r.answer, 'notes.txt has 3 lines.');
    assert.equal(r.requests, 3);
  } finally {
    await proxy.close();
  }
});
after(() => llm.stop());

test('the runtime-context message is no turn: the trajectory is system, user, then the agent turns with their results, each with its usage', () => {
  // Upstream really got the context on every request, last.
  const chats = llm.requests.filter((q) => q.path.endsWith('/chat/completions'));
  assert.equal(chats.length, 3);
  for (const [i, q] of chats.entries()) assert.deepEqual(q.body.messages!.at(-1), contextCarrier(i + 1));

  const t = AtifTrajectory.parse(JSON.parse(readFileSync(join(recordings, 'oc-1', 'trajectory.json'), 'utf8')));
  assert.deepEqual(
    t.steps.map((s) => s.source),
    ['system', 'user', 'agent', 'agent', 'agent'],
  );
  for (const s of t.steps) assert.ok(!s.message.includes('OPENCLAW_INTERNAL_CONTEXT'), `step ${s.step_id} holds the context`);
  assert.match(String(t.extra?.request_context), /Request 3;/);
  assert.equal(t.steps[1]!.message, 'How many lines has notes.txt?');
  // The renamed ids of the history are the ones results answer.
  assert.deepEqual(t.steps[2]!.tool_calls!.map((c) => [c.tool_call_id, c.function_name]), [['toolu_01', 'read']]);
  assert.deepEqual(t.steps[2]!.observation!.results, [{ source_call_id: 'toolu_01', content: 'a\nb\nc\n' }]);
  assert.deepEqual(t.steps[3]!.observation!.results, [{ source_call_id: 'toolu_02', content: '3 notes.txt' }]);
  assert.equal(t.steps[4]!.message, 'notes.txt has 3 lines.');
  assert.deepEqual(
    t.steps.filter((s) => s.source === 'agent').map((s) => s.metrics?.prompt_tokens),
    [1000, 1100, 1200],
  );
  assert.equal(t.extra?.recorded_turns, 3);
  // calls.jsonl keeps each request as it was sent, context included.
  const calls = readFileSync(join(recordings, 'oc-1', 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(calls.length, 3);
  for (const c of calls) assert.equal(c.error, null);
  assert.match(calls[2].request.body.messages.at(-1).content, /BEGIN_OPENCLAW_INTERNAL_CONTEXT/);
});

test('export sft keeps the example in every format, the context left out', async () => {
  for (const format of ['openai', 'trl', 'sharegpt'] as const) {
    const out = join(tempDir(), 'sft.jsonl');
    const r = await runCli(['export', 'sft', recordings, '--format', format, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const stats = JSON.parse(r.stdout);
    assert.deepEqual(stats.skipped, []);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1, format);
    assert.ok(!lines[0]!.includes('OPENCLAW_INTERNAL_CONTEXT'), format);
    const l = JSON.parse(lines[0]!);
    if (format === 'sharegpt') {
      assert.deepEqual(
        l.conversations.map((c: { from: string }) => c.from),
        ['human', 'function_call', 'observation', 'function_call', 'observation', 'gpt'],
      );
      assert.equal(l.conversations.at(-1).value, 'notes.txt has 3 lines.');
    } else assert.deepEqual(l.messages.map((m: { role: string }) => m.role), ['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
  }
});
