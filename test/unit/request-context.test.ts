/**
 * OpenClaw's request-scoped runtime context (a user message opening with
 * `<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>`): recognised, split off, and kept out of SFT examples —
 * also in trajectories recorded before it was kept out of their steps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareConversation } from '../../src/core/export/conversation.ts';
import { toSftLine } from '../../src/core/export/sft-formats.ts';
import { chatToAtif, requestContextOf, splitRequestContext } from '../../src/core/trace/chat.ts';

const CTX = '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nruntime: sandboxed\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>>';

test('a context carrier is recognised as a string or as text parts; user text after the block is kept', () => {
  assert.deepEqual(requestContextOf({ role: 'user', content: CTX }), { context: 'runtime: sandboxed', rest: '' });
  assert.deepEqual(requestContextOf({ role: 'user', content: [{ type: 'text', text: `${CTX}\n\nAnd the totals?` }] }), { context: 'runtime: sandboxed', rest: 'And the totals?' });
  assert.equal(requestContextOf({ role: 'user', content: 'Quote <<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>> later' }), null);
  assert.equal(requestContextOf({ role: 'system', content: CTX }), null);
  const s = splitRequestContext([{ role: 'user', content: 'hi' }, { role: 'user', content: CTX }]);
  assert.deepEqual(s, { messages: [{ role: 'user', content: 'hi' }], context: ['runtime: sandboxed'] });
});

test('a trajectory recorded with the context as its last user step still exports, ShareGPT included', () => {
  const t = chatToAtif({
    sessionId: 's',
    agent: { name: 'x', version: '1' },
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'Count the lines.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'exec', arguments: '{"command":"wc -l f"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_01', content: '3 f' },
      { role: 'user', content: CTX },
      { role: 'assistant', content: 'Three.' },
    ],
  });
  const p = prepareConversation(t);
  assert.ok(p.ok);
  assert.deepEqual(p.messages.map((m) => m.role), ['system', 'user', 'assistant', 'tool', 'assistant']);
  const line = toSftLine('sharegpt', p.messages, [{ type: 'function', function: { name: 'exec' } }]);
  assert.equal(typeof line, 'object', String(line));
  assert.deepEqual((line as { conversations: Array<{ from: string }> }).conversations.map((c) => c.from), ['human', 'function_call', 'observation', 'gpt']);
});
