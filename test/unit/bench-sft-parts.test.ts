/**
 * The pure parts behind `bench build` and `export sft`: the seeded draw (independent of listing
 * order, stable when the pool grows, quotas as caps), and the conversation rules of the SFT export
 * on trajectories the integration runs do not produce (cut-short runs, stray results, system
 * messages mid-way).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectTasks, type SelectItem } from '../../src/core/bench/select.ts';
import { prepareConversation } from '../../src/core/export/conversation.ts';
import { OpenAiLine, ShareGptLine, toSftLine } from '../../src/core/export/sft-formats.ts';
import { TrajectoryBuilder } from '../../src/core/trace/builder.ts';
import { atifToChat, chatToAtif } from '../../src/core/trace/chat.ts';

const items = (n: number, cats = ['a', 'b', 'c']): SelectItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `t${String(i).padStart(3, '0')}`, category: cats[i % cats.length]!, family: `f${i % 4}`, band: '' }));

test('the draw depends on the seed, not on the order the pool was listed in', () => {
  const pool = items(40);
  const a = selectTasks(pool, { size: 12, quotas: { perCategory: {} }, seed: 1 }).selected.map((t) => t.id);
  const b = selectTasks([...pool].reverse(), { size: 12, quotas: { perCategory: {} }, seed: 1 }).selected.map((t) => t.id);
  assert.deepEqual(a, b);
  assert.notDeepEqual(selectTasks(pool, { size: 12, quotas: { perCategory: {} }, seed: 2 }).selected.map((t) => t.id), a);
});

test('categories take turns up to their caps; what is left out says why', () => {
  const { selected, left } = selectTasks(items(40), { size: 12, quotas: { perCategory: { a: 2 } }, seed: 1 });
  const per = (c: string) => selected.filter((t) => t.category === c).length;
  assert.deepEqual([per('a'), per('b'), per('c')], [2, 5, 5]);
  assert.equal(left.length, 28);
  assert.equal(left.filter((l) => /capped at 2/.test(l.reason)).length, 12);
  assert.ok(left.filter((l) => !/capped/.test(l.reason)).every((l) => /bench is full at 12/.test(l.reason)));
});

test('a task added to the pool does not reshuffle the others (ranks are per task, not per list)', () => {
  const pool = items(30, ['a']);
  const order = (xs: SelectItem[]) => selectTasks(xs, { size: null, quotas: { perCategory: {} }, seed: 5 }).selected;
  const before = order(pool);
  const after = order([...pool, { id: 't999', category: 'a', family: 'f1', band: '' }]);
  // Within each family, the old tasks come in the same order as before.
  for (const f of ['f0', 'f1', 'f2', 'f3']) {
    const old = (xs: SelectItem[]) => xs.filter((t) => t.family === f && t.id !== 't999').map((t) => t.id);
    assert.deepEqual(old(after), old(before), f);
  }
  assert.ok(after.some((t) => t.id === 't999'));
});

function trajectory(build: (b: TrajectoryBuilder) => void) {
  const b = new TrajectoryBuilder('s', { name: 'test', version: '0' });
  build(b);
  return b.build();
}

test('calls still open when a run was cut short are dropped; the rest is a valid OpenAI line', () => {
  const t = trajectory((b) => {
    b.system('sys');
    b.user('do it');
    const s1 = b.agentStep({ message: '', tool_calls: [{ tool_call_id: 'c1', function_name: 'read', arguments: { path: 'a' } }] });
    b.observe(s1, { source_call_id: 'c1', content: 'A' });
    b.agentStep({ message: 'one more', tool_calls: [{ tool_call_id: 'c2', function_name: 'exec', arguments: { command: 'ls' } }] });
  });
  const p = prepareConversation(t);
  assert.ok(p.ok);
  const line = toSftLine('openai', p.messages, []);
  const last = (line as { messages: Array<Record<string, unknown>> }).messages.at(-1)!;
  assert.deepEqual(last, { role: 'assistant', content: 'one more' });
  assert.ok(OpenAiLine.safeParse(line).success);
});

test('a tool result that answers no call is refused with its reason', () => {
  const t = trajectory((b) => {
    b.user('do it');
    const s = b.agentStep({ message: 'ok', tool_calls: [{ tool_call_id: 'c1', function_name: 'read', arguments: { path: 'a' } }] });
    b.observe(s, { source_call_id: 'c1', content: 'A' });
    b.observe(s, { source_call_id: null, content: 'stray', extra: { tool_call_id: 'zz' } });
  });
  assert.deepEqual(prepareConversation(t), { ok: false, reason: 'a tool result for zz answers no open tool call' });
});

test('sharegpt: user turns in a row merge; a system message mid-way and model turns in a row are refused', () => {
  const merged = prepareConversation(trajectory((b) => {
    b.user('first');
    b.user('second');
    b.agentStep({ message: 'answer' });
  }));
  assert.ok(merged.ok);
  const line = toSftLine('sharegpt', merged.messages, []);
  assert.deepEqual((line as { conversations: unknown }).conversations, [{ from: 'human', value: 'first\n\nsecond' }, { from: 'gpt', value: 'answer' }]);
  assert.ok(ShareGptLine.safeParse(line).success);
  const mid = prepareConversation(trajectory((b) => {
    b.user('q');
    b.system('late system note');
    b.agentStep({ message: 'a' });
  }));
  assert.ok(mid.ok);
  assert.equal(toSftLine('sharegpt', mid.messages, []), 'a system message after the conversation began (ShareGPT has one system prompt)');
  assert.ok(OpenAiLine.safeParse(toSftLine('openai', mid.messages, [])).success, 'OpenAI keeps a late system message');
  const twice = prepareConversation(trajectory((b) => {
    b.user('q');
    b.agentStep({ message: 'thinking aloud' });
    const s = b.agentStep({ message: '', tool_calls: [{ tool_call_id: 'c1', function_name: 'read', arguments: { path: 'a' } }] });
    b.observe(s, { source_call_id: 'c1', content: 'A' });
  }));
  assert.ok(twice.ok);
  assert.match(String(toSftLine('sharegpt', twice.messages, [])), /turn 3 \(function_call\) breaks ShareGPT's user\/model alternation/);
});

test('atifToChat reads back the conversation chatToAtif recorded (raw arguments and unmatched results kept)', () => {
  const messages = [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'go' },
    { role: 'assistant', content: 'two calls', tool_calls: [{ id: 'a', type: 'function', function: { name: 'read', arguments: '{"path":"x"}' } }, { id: 'b', type: 'function', function: { name: 'exec', arguments: '{"command": oops' } }] },
    { role: 'tool', tool_call_id: 'a', content: 'X' },
    { role: 'tool', tool_call_id: 'b', content: 'bad arguments' },
    { role: 'tool', tool_call_id: 'zz', content: 'stray' },
    { role: 'assistant', content: 'done' },
  ];
  const back = atifToChat(chatToAtif({ sessionId: 's', agent: { name: 't', version: '0' }, messages }));
  assert.deepEqual(back, messages);
});
