/**
 * Trajectories from elsewhere for the debugger (core/trace/import.ts): an OpenClaw session file
 * (JSONL: session header, user / assistant with toolCall parts / toolResult), the bundle
 * `openclaw sessions export-trajectory` writes (session-branch.json, events.jsonl), and ATIF
 * written by another harness with its own liberties — each read step by step into valid ATIF.
 * Fixtures follow the shapes OpenClaw 2026.9.6 writes (field names as in its export code).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';
import { importTrajectory } from '../../src/core/trace/import.ts';
import { locateTrajectory, readTrajectory } from '../../src/extension/model/trajectory-files.ts';
import { tempDir } from '../helpers.ts';

const header = { type: 'session', version: 3, id: 'b7c4a0e2-1f1d-4c57-9d53-2a7f3e6c1d10', timestamp: '2026-12-07T22:00:00.000Z', cwd: '/home/me/.openclaw/workspace' };
const entries = [
  { type: 'message', id: 'a1', parentId: null, timestamp: '2026-12-07T22:00:01.000Z', message: { role: 'user', content: [{ type: 'text', text: 'How many lines has notes.txt?' }] } },
  {
    type: 'message',
    id: 'a2',
    parentId: 'a1',
    timestamp: '2026-12-07T22:00:03.000Z',
    message: { role: 'assistant', model: 'qwen3-32b', content: [{ type: 'thinking', thinking: 'Count with wc.' }, { type: 'text', text: 'Counting.' }, { type: 'toolCall', id: 'toolu_01', name: 'exec', arguments: { command: 'wc -l notes.txt' } }], usage: { input: 9800, output: 40 }, stopReason: 'toolUse' },
  },
  { type: 'message', id: 'a3', parentId: 'a2', timestamp: '2026-12-07T22:00:04.000Z', message: { role: 'toolResult', toolCallId: 'toolu_01', toolName: 'exec', content: [{ type: 'text', text: '3 notes.txt' }], isError: false } },
  { type: 'message', id: 'a4', parentId: 'a3', timestamp: '2026-12-07T22:00:06.000Z', message: { role: 'assistant', content: [{ type: 'text', text: 'notes.txt has 3 lines.' }], usage: { input: 9900, output: 12 }, stopReason: 'stop' } },
];

function checkSession(t: AtifTrajectory): void {
  AtifTrajectory.parse(t);
  assert.deepEqual(t.steps.map((s) => s.source), ['user', 'agent', 'agent']);
  const call = t.steps[1]!;
  assert.equal(call.message, 'Counting.');
  assert.equal(call.reasoning_content, 'Count with wc.');
  assert.equal(call.model_name, 'qwen3-32b');
  assert.deepEqual(call.tool_calls, [{ tool_call_id: 'toolu_01', function_name: 'exec', arguments: { command: 'wc -l notes.txt' } }]);
  assert.deepEqual(call.observation?.results, [{ source_call_id: 'toolu_01', content: '3 notes.txt' }]);
  assert.equal(call.metrics?.prompt_tokens, 9800);
  assert.equal(t.steps[2]!.message, 'notes.txt has 3 lines.');
}

test('an OpenClaw session file (JSONL) reads as ATIF, each tool result on the step that made the call', () => {
  const r = importTrajectory([header, ...entries].map((e) => JSON.stringify(e)).join('\n'), 'session.jsonl');
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.format, 'openclaw-session');
  assert.equal(r.trajectory.session_id, header.id);
  checkSession(r.trajectory);
});

test("the export-trajectory bundle: session-branch.json and events.jsonl both read", () => {
  const branch = importTrajectory(JSON.stringify({ header, leafId: 'a4', entries }), 'session-branch.json');
  assert.ok(branch.ok, branch.ok ? '' : branch.error);
  checkSession(branch.trajectory);
  let seq = 0;
  const events = entries.flatMap((e) => [
    { traceSchema: 'openclaw-trajectory', schemaVersion: 1, traceId: 't1', source: 'transcript', type: `message.${e.message.role}`, ts: e.timestamp, seq: 0, sourceSeq: ++seq, sessionId: header.id, entryId: e.id, parentEntryId: e.parentId, data: { message: e.message } },
    { traceSchema: 'openclaw-trajectory', schemaVersion: 1, traceId: 't1', source: 'runtime', type: 'model.completed', ts: e.timestamp, seq: ++seq, sessionId: header.id, data: {} },
  ]);
  const ev = importTrajectory(events.map((e) => JSON.stringify(e)).join('\n'), 'events.jsonl');
  assert.ok(ev.ok, ev.ok ? '' : ev.error);
  assert.deepEqual(ev.trajectory.steps.map((s) => s.source), ['user', 'agent', 'agent']);
});

test('ATIF from another harness: steps renumbered, sources mapped, arguments as text parsed, content parts joined', () => {
  const foreign = {
    schema_version: 'ATIF-v1.2',
    session_id: 'harbor-run-7',
    agent: { name: 'terminus-2', version: '2.0.0', model_name: 'gpt-5' },
    steps: [
      { step_id: 0, source: 'system', message: 'You are a terminal agent.' },
      { step_id: 1, source: 'user', message: [{ type: 'text', text: 'List the files.' }] },
      { step_id: 2, source: 'assistant', message: 'Listing.', tool_calls: [{ tool_call_id: 'c1', function_name: 'bash', arguments: '{"cmd": "ls"}' }], observation: { results: [{ source_call_id: 'c1', content: [{ type: 'text', text: 'a.txt' }] }] }, metrics: { prompt_tokens: 10, completion_tokens: 2 } },
      { step_id: 3, source: 'agent', message: 'One file.' },
    ],
  };
  const r = importTrajectory(JSON.stringify(foreign), 'foreign.json');
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.format, 'atif');
  assert.deepEqual(r.trajectory.steps.map((s) => [s.step_id, s.source]), [[1, 'system'], [2, 'user'], [3, 'agent'], [4, 'agent']]);
  assert.equal(r.trajectory.steps[1]!.message, 'List the files.');
  assert.deepEqual(r.trajectory.steps[2]!.tool_calls![0]!.arguments, { cmd: 'ls' });
  assert.deepEqual(r.trajectory.steps[2]!.observation!.results, [{ source_call_id: 'c1', content: 'a.txt' }]);
  assert.equal(r.trajectory.schema_version, 'ATIF-v1.2');
});

test('what is neither says so, with the line', () => {
  const bad = importTrajectory('{"type":"session","id":"x"}\nnot json', 's.jsonl');
  assert.ok(!bad.ok);
  assert.match(bad.error, /s\.jsonl:2: neither ATIF/);
  const none = importTrajectory(JSON.stringify({ hello: 1 }), 'x.json');
  assert.ok(!none.ok);
  assert.match(none.error, /x\.json is not an ATIF trajectory: no "steps" list/);
});

test('the debugger opens an OpenClaw session file and an export-trajectory bundle folder', () => {
  const dir = tempDir();
  const file = join(dir, 'b7c4a0e2.jsonl');
  writeFileSync(file, [header, ...entries].map((e) => JSON.stringify(e)).join('\n'));
  const loc = locateTrajectory(file);
  assert.ok(loc);
  const read = readTrajectory(loc.trajectoryFile);
  assert.ok(read.ok, read.ok ? '' : read.error);
  checkSession(read.trajectory);

  const bundle = join(dir, 'export');
  mkdirSync(bundle);
  writeFileSync(join(bundle, 'manifest.json'), JSON.stringify({ traceSchema: 'openclaw-trajectory', schemaVersion: 1, sessionId: header.id }));
  writeFileSync(join(bundle, 'session-branch.json'), JSON.stringify({ header, leafId: 'a4', entries }));
  const b = locateTrajectory(bundle);
  assert.ok(b);
  assert.match(b.title, /OpenClaw session/);
  const rb = readTrajectory(b.trajectoryFile);
  assert.ok(rb.ok, rb.ok ? '' : rb.error);
  checkSession(rb.trajectory);
});
