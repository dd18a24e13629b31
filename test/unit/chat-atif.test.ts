/** Chat messages → ATIF, and SSE framing of streamed bytes (shared by the client and the proxy). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser } from '../../src/core/llm/stream.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';
import { chatToAtif } from '../../src/core/trace/chat.ts';

test('SSE events split anywhere (CRLF included) come out whole', () => {
  const raw = 'data: {"a":1}\r\n\r\ndata: {"b":\r\ndata: 2}\r\n\r\n: keep-alive\r\n\r\ndata: [DONE]\r\n\r\n';
  for (let cut = 1; cut < raw.length; cut++) {
    const p = new SseParser();
    const enc = new TextEncoder();
    const got = [...p.push(enc.encode(raw.slice(0, cut))), ...p.push(enc.encode(raw.slice(cut))), ...p.end()];
    assert.deepEqual(got, ['{"a":1}', '{"b":\n2}', '[DONE]'], `cut at ${cut}`);
  }
});

test('chat messages become a valid ATIF trajectory: tool results answer their call, odd input is kept', () => {
  const t = chatToAtif({
    sessionId: 's',
    agent: { name: 'x', version: '1' },
    messages: [
      { role: 'developer', content: [{ type: 'text', text: 'be brief' }] },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } }, { id: 'c2', type: 'function', function: { name: 'exec', arguments: '{oops' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'A' },
      { role: 'tool', tool_call_id: 'zzz', content: 'stray' },
      { role: 'assistant', content: 'done', reasoning_content: 'thought' },
    ],
    turns: new Map([[5, { metrics: { prompt_tokens: 7, completion_tokens: 3 }, model_name: 'm' }]]),
  });
  AtifTrajectory.parse(t);
  assert.deepEqual(t.steps.map((s) => s.source), ['system', 'user', 'agent', 'agent']);
  assert.equal(t.steps[1]!.message, 'look\n[image_url]');
  const call = t.steps[2]!;
  assert.deepEqual(call.tool_calls!.map((c) => [c.function_name, c.arguments, c.extra]), [
    ['read', { path: 'a' }, undefined],
    ['exec', {}, { raw_arguments: '{oops' }],
  ]);
  assert.deepEqual(call.observation!.results, [
    { source_call_id: 'c1', content: 'A' },
    { source_call_id: null, content: 'stray', extra: { tool_call_id: 'zzz' } },
  ]);
  assert.equal(t.steps[3]!.reasoning_content, 'thought');
  assert.equal(t.steps[3]!.model_name, 'm');
  assert.equal(t.final_metrics!.total_prompt_tokens, 7);
});
