/**
 * `clawgym export sft` on real claw runs (a scripted Chat Completions server, tools in the real
 * sandbox) and on a real recording-proxy folder: each format's lines checked against that format's
 * rules — written here independently of the exporter's own schemas — plus the reward filter,
 * --dedupe, skipped trajectories, all-or-nothing output, and no key in any export.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, tempDir, writeTask } from '../helpers.ts';
import { MockLlm, type RecordedRequest, type ScriptedTurn } from '../mock-llm.ts';
import { RecordingProxy } from '../../src/core/llm/proxy/proxy.ts';

const KEY = 'sk-clawgym-export-7d1e9a3c5b2f4e6081a2c4';
/** Only the export process knows it (as OPENAI_API_KEY): a recording planted with it must come out clean. */
const ENV_KEY = 'sk-clawgym-envkey-0f1e2d3c4b5a69788796';
const llm = new MockLlm();
let work = '';
let configFile = '';
let pool = '';
const runs: string[] = [];
let recordings = '';

type Json = Record<string, any>;

/** Which task a request belongs to, from its user message; the turn from the assistant messages so far. */
function script(req: RecordedRequest): ScriptedTurn {
  const msgs = req.body.messages ?? [];
  const user = String(msgs.find((m) => m.role === 'user')?.content ?? '');
  const turn = msgs.filter((m) => m.role === 'assistant').length;
  const name = /Bob/.test(user) ? 'Bob' : 'Ada';
  if (/sloppy/.test(user)) {
    if (turn === 0) return { tool_calls: [{ name: 'read', arguments: '{"path": "notes.txt"' }] };
    if (turn === 1) return { tool_calls: [{ name: 'write', arguments: { path: 'out.txt', content: 'Hello, Ada!' } }] };
    return { content: 'Done.' };
  }
  if (turn === 0) return { content: 'Reading the notes first.', tool_calls: [{ name: 'read', arguments: { path: 'notes.txt' } }, { name: 'exec', arguments: { command: 'ls' } }] };
  // The "wrong" task's model greets the wrong person: reward 0.
  if (turn === 1) return { tool_calls: [{ name: 'write', arguments: { path: 'out.txt', content: /wrong/.test(user) ? 'Hello, Bob!' : 'Hello, Ada!' } }] };
  // A model echoing a key it should never have seen: the claw's redaction, then the export's, must cut it.
  return { content: `Wrote the greeting for ${name}. (debug: ${KEY})`, reasoning: 'The file is written; nothing else to do.' };
}

function greetTask(id: string, instruction: string): void {
  writeTask(pool, { id, category: 'Productivity & Collaboration', instruction, verify: { checks: [{ id: 'greeting', type: 'text_equals', path: 'out.txt', text: 'Hello, Ada!' }] } }, { 'workspace/notes.txt': 'name: Ada\n' });
}

async function clawRun(out: string): Promise<void> {
  const r = await runCli(['run', pool, '--agent', 'claw', '--model', 'mock-model', '--base-url', llm.url, '--config', configFile, '--out', out, '--json', '-c', '1']);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const reward = Object.fromEntries(lines.map((l) => [l.task_id, l.reward]));
  assert.deepEqual(reward, { 'greet-ada': 1, 'greet-sloppy': 1, 'greet-wrong': 0 }, JSON.stringify(lines.map((l) => l.error)));
  runs.push(out);
}

/** One recorded session through the real proxy: a custom tool, a call, its result, an answer. */
async function record(): Promise<void> {
  recordings = join(work, 'recordings');
  const proxy = new RecordingProxy({ upstream: llm.url, apiKey: KEY, out: recordings });
  const url = await proxy.listen(0, '127.0.0.1');
  const tools = [{ type: 'function', function: { name: 'lookup', description: 'Look a word up.', parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] } } }];
  llm.setScript([{ content: 'Let me look it up.', tool_calls: [{ id: 'call_rec_1', name: 'lookup', arguments: { word: 'claw' } }] }, { content: 'A claw is a curved nail.' }]);
  const messages: Json[] = [{ role: 'system', content: 'You answer with one sentence.' }, { role: 'user', content: 'What is a claw?' }];
  const post = async () => {
    const r = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-clawgym-session': 'dictionary' }, body: JSON.stringify({ model: 'mock-model', messages, tools }) });
    return ((await r.json()) as Json).choices[0].message;
  };
  const first = await post();
  messages.push(first, { role: 'tool', tool_call_id: first.tool_calls[0].id, content: `claw: a curved nail (looked up with ${ENV_KEY})` });
  messages.push(await post());
  await proxy.close();
  // The proxy did not know ENV_KEY: it is in the recording, so only the export can cut it.
  assert.match(readFileSync(join(recordings, 'dictionary', 'trajectory.json'), 'utf8'), new RegExp(ENV_KEY));
}

before(async () => {
  await llm.start();
  work = tempDir('clawgym-export-');
  configFile = join(work, 'config.json');
  writeFileSync(configFile, JSON.stringify({ api_key: KEY, max_retries: 1 }));
  pool = join(work, 'pool');
  greetTask('greet-ada', 'Read notes.txt and write a greeting for the person named there to out.txt, as "Hello, <name>!".');
  greetTask('greet-wrong', 'Read notes.txt and write a greeting to out.txt (wrong model).');
  greetTask('greet-sloppy', 'Read notes.txt and write "Hello, Ada!" to out.txt (sloppy model).');
  llm.setScript(script);
  await clawRun(join(work, 'run-1'));
  await clawRun(join(work, 'run-2'));
  await record();
});
after(() => llm.stop());

async function exportSft(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; lines: Json[]; stats: Json }> {
  const out = join(tempDir('clawgym-export-out-'), 'sft.jsonl');
  const r = await runCli(['export', 'sft', ...args, '--out', out, '--json'], { env: { OPENAI_API_KEY: ENV_KEY } });
  const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
  for (const k of [KEY, ENV_KEY]) assert.ok(!text.includes(k), `a key reached the export (${k.slice(0, 16)}…)`);
  return { ...r, lines: text.trim() ? text.trim().split('\n').map((l) => JSON.parse(l)) : [], stats: r.stdout.trim() ? JSON.parse(r.stdout) : {} };
}

// ---- the formats' rules, independent of the exporter ----

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

function checkTools(tools: unknown): string[] {
  assert.ok(Array.isArray(tools) && tools.length, 'tools: a non-empty list');
  for (const t of tools as Json[]) {
    assert.equal(t.type, 'function');
    assert.equal(typeof t.function.name, 'string');
    assert.ok(isObject(t.function.parameters), `${t.function.name}: parameters is a JSON schema object`);
  }
  return (tools as Json[]).map((t) => t.function.name);
}

/** OpenAI and TRL: every assistant tool call answered by exactly one tool message, before the next turn; no stray tool message. */
function checkPairing(messages: Json[]): void {
  let open = new Map<string, string>();
  const answered = new Map<string, number>();
  for (const m of messages) {
    if (m.role === 'tool') {
      assert.ok(open.has(m.tool_call_id), `tool message ${m.tool_call_id} answers no call of the previous assistant turn`);
      answered.set(m.tool_call_id, (answered.get(m.tool_call_id) ?? 0) + 1);
      continue;
    }
    for (const id of open.keys()) assert.equal(answered.get(id), 1, `call ${id} answered ${answered.get(id) ?? 0} times`);
    open = new Map(m.role === 'assistant' ? (m.tool_calls ?? []).map((c: Json) => [c.id, c.function.name]) : []);
  }
  for (const id of open.keys()) assert.equal(answered.get(id), 1, `call ${id} answered ${answered.get(id) ?? 0} times`);
}

function checkOpenAiLine(l: Json): void {
  assert.deepEqual(Object.keys(l).sort(), ['messages', 'metadata', 'tools']);
  checkTools(l.tools);
  assert.ok(l.messages.some((m: Json) => m.role === 'assistant'));
  for (const m of l.messages as Json[]) {
    assert.ok(['system', 'user', 'assistant', 'tool'].includes(m.role), m.role);
    if (m.role === 'assistant') {
      assert.ok(typeof m.content === 'string' || Array.isArray(m.tool_calls), 'assistant: content or tool_calls');
      for (const c of m.tool_calls ?? []) {
        assert.deepEqual(Object.keys(c).sort(), ['function', 'id', 'type']);
        assert.equal(c.type, 'function');
        assert.equal(typeof c.function.arguments, 'string', 'openai: arguments are a JSON string');
        assert.ok(isObject(JSON.parse(c.function.arguments)), 'openai: arguments parse to an object');
      }
      assert.ok(!('reasoning_content' in m), 'openai has no reasoning field');
    }
    if (m.role === 'tool') assert.deepEqual(Object.keys(m).sort(), ['content', 'role', 'tool_call_id']);
    if (m.role !== 'assistant') assert.equal(typeof m.content, 'string');
  }
  checkPairing(l.messages);
}

function checkTrlLine(l: Json): void {
  assert.deepEqual(Object.keys(l).sort(), ['messages', 'metadata', 'tools']);
  checkTools(l.tools);
  const nameOf = new Map<string, string>();
  for (const m of l.messages as Json[]) {
    assert.equal(typeof m.content, 'string', `${m.role}: content is a string`);
    for (const c of m.tool_calls ?? []) {
      assert.ok(isObject(c.function.arguments), 'trl: arguments are an object, not a string');
      nameOf.set(c.id, c.function.name);
    }
    if (m.role === 'tool') assert.equal(m.name, nameOf.get(m.tool_call_id), 'trl: a tool message names the function it answers');
  }
  checkPairing(l.messages);
}

function checkShareGptLine(l: Json): void {
  assert.deepEqual(Object.keys(l).sort(), ['conversations', 'metadata', 'system', 'tools']);
  assert.equal(typeof l.system, 'string');
  const tools = JSON.parse(l.tools);
  assert.ok(Array.isArray(tools) && tools.every((t: Json) => typeof t.name === 'string' && isObject(t.parameters)), 'sharegpt: tools is the JSON text of a list of functions');
  const c = l.conversations as Json[];
  assert.ok(c.length >= 2 && c.length % 2 === 0, `an even number of turns (${c.length})`);
  c.forEach((t, i) => {
    assert.deepEqual(Object.keys(t).sort(), ['from', 'value']);
    assert.equal(typeof t.value, 'string');
    assert.ok((i % 2 === 0 ? ['human', 'observation'] : ['gpt', 'function_call']).includes(t.from), `turn ${i}: ${t.from} breaks the alternation`);
    if (t.from === 'observation') assert.equal(c[i - 1]!.from, 'function_call', 'an observation follows a function call');
    if (t.from === 'function_call') {
      const v = JSON.parse(t.value);
      for (const call of Array.isArray(v) ? v : [v]) {
        assert.equal(typeof call.name, 'string');
        assert.ok(isObject(call.arguments));
      }
    }
  });
  assert.equal(c[0]!.from, 'human');
}

// ---- tests ----

test('openai: native tool_calls answered by tool messages, the OpenClaw tools; reward, errors and malformed calls filtered', async () => {
  const r = await exportSft([runs[0]!, '--format', 'openai']);
  assert.equal(r.code, 0, r.stderr);
  // greet-ada (reward 1); greet-wrong is below the reward; greet-sloppy made a malformed call.
  assert.equal(r.lines.length, 1);
  for (const l of r.lines) checkOpenAiLine(l);
  const l = r.lines[0]!;
  assert.deepEqual(checkTools(l.tools), ['read', 'edit', 'write', 'exec', 'process']);
  assert.deepEqual(l.messages.map((m: Json) => m.role), ['system', 'user', 'assistant', 'tool', 'tool', 'assistant', 'tool', 'assistant']);
  assert.equal(l.messages[1].content, 'Read notes.txt and write a greeting for the person named there to out.txt, as "Hello, <name>!".');
  assert.deepEqual(l.messages[2].tool_calls.map((c: Json) => [c.function.name, JSON.parse(c.function.arguments)]), [['read', { path: 'notes.txt' }], ['exec', { command: 'ls' }]]);
  assert.match(l.messages[3].content, /name: Ada/);
  assert.match(l.messages.at(-1).content, /Wrote the greeting for Ada\. \(debug: \[REDACTED\]\)/);
  const s = r.stats;
  assert.equal(s.examples, 1);
  assert.equal(s.inputs[0].found, 3);
  assert.equal(s.inputs[0].below_min_reward, 1);
  assert.deepEqual(s.skipped.map((k: Json) => k.reason), ['the arguments of a read call are not a JSON object']);
  assert.equal(s.turns.total, 3);
  assert.deepEqual(s.tools_used, { exec: 1, read: 1, write: 1 });
  assert.equal(s.tool_calls, 3);
  assert.deepEqual(s.tokens, { prompt: 300, completion: 60, examples_with_usage: 1 });
});

test('--min-reward 0 keeps the failed trial too', async () => {
  const r = await exportSft([runs[0]!, '--format', 'openai', '--min-reward', '0']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.lines.length, 2);
  for (const l of r.lines) checkOpenAiLine(l);
  assert.ok(r.lines.some((l) => l.messages.some((m: Json) => (m.tool_calls ?? []).some((c: Json) => c.function.arguments.includes('Hello, Bob!')))));
  assert.equal(r.stats.inputs[0].below_min_reward, 0);
});

test('trl: arguments as objects, tool messages named, reasoning kept', async () => {
  const r = await exportSft([runs[0]!, '--format', 'trl']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.lines.length, 1);
  for (const l of r.lines) checkTrlLine(l);
  const msgs = r.lines[0]!.messages as Json[];
  assert.deepEqual(msgs[2]!.tool_calls[0].function.arguments, { path: 'notes.txt' });
  assert.deepEqual(msgs.filter((m) => m.role === 'tool').map((m) => m.name), ['read', 'exec', 'write']);
  assert.equal(msgs.at(-1)!.reasoning_content, 'The file is written; nothing else to do.');
});

test('sharegpt: human/gpt/function_call/observation alternate; parallel calls are one turn, their results one observation', async () => {
  const r = await exportSft([runs[0]!, '--format', 'sharegpt']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.lines.length, 1);
  for (const l of r.lines) checkShareGptLine(l);
  const l = r.lines[0]!;
  assert.deepEqual(l.conversations.map((t: Json) => t.from), ['human', 'function_call', 'observation', 'function_call', 'observation', 'gpt']);
  assert.deepEqual(JSON.parse(l.conversations[1].value), [{ name: 'read', arguments: { path: 'notes.txt' } }, { name: 'exec', arguments: { command: 'ls' } }]);
  assert.match(l.conversations[2].value, /name: Ada[\s\S]*<\/tool_response>\n<tool_response>[\s\S]*notes\.txt/);
  assert.match(l.system, /working directory is \/root\/\.openclaw\/workspace/);
  assert.deepEqual(JSON.parse(l.tools).map((t: Json) => t.name), ['read', 'edit', 'write', 'exec', 'process']);
});

test('--dedupe drops identical conversations across runs (tool call ids differ)', async () => {
  const all = await exportSft([runs[0]!, runs[1]!, '--format', 'trl']);
  assert.equal(all.lines.length, 2);
  const ids = all.lines.map((l) => l.messages[2].tool_calls[0].id);
  assert.notEqual(ids[0], ids[1], 'the two runs got different call ids from the server');
  const deduped = await exportSft([runs[0]!, runs[1]!, '--format', 'trl', '--dedupe']);
  assert.equal(deduped.lines.length, 1);
  assert.equal(deduped.stats.duplicates, 1);
  assert.deepEqual(deduped.lines[0], all.lines[0]);
});

test('proxy recordings export the same way, with the tools the client declared; a key in them is cut', async () => {
  for (const format of ['openai', 'trl', 'sharegpt'] as const) {
    const r = await exportSft([recordings, '--format', format]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines.length, 1, format);
    assert.equal(r.stats.unscored, 1);
    const l = r.lines[0]!;
    if (format === 'openai') {
      checkOpenAiLine(l);
      assert.deepEqual(checkTools(l.tools), ['lookup']);
      assert.deepEqual(l.messages.map((m: Json) => m.role), ['system', 'user', 'assistant', 'tool', 'assistant']);
      assert.equal(l.messages[3].content, 'claw: a curved nail (looked up with [REDACTED])');
    } else if (format === 'trl') checkTrlLine(l);
    else {
      checkShareGptLine(l);
      assert.equal(l.system, 'You answer with one sentence.');
      assert.deepEqual(l.conversations.map((t: Json) => t.from), ['human', 'function_call', 'observation', 'gpt']);
    }
  }
});

test('a line that breaks its format writes nothing: the old file stays, no temporary file is left', async () => {
  // A recording whose client declared one tool twice: the tools list fails the format's rules.
  const bad = join(work, 'bad-recordings', 'twice');
  mkdirSync(bad, { recursive: true });
  const src = join(recordings, 'dictionary');
  writeFileSync(join(bad, 'trajectory.json'), readFileSync(join(src, 'trajectory.json')));
  const call = JSON.parse(readFileSync(join(src, 'calls.jsonl'), 'utf8').split('\n')[0]!);
  call.request.body.tools = [...call.request.body.tools, ...call.request.body.tools];
  writeFileSync(join(bad, 'calls.jsonl'), `${JSON.stringify(call)}\n`);
  const dir = tempDir('clawgym-export-atomic-');
  const out = join(dir, 'sft.jsonl');
  writeFileSync(out, 'previous export\n');
  const r = await runCli(['export', 'sft', runs[0]!, join(work, 'bad-recordings'), '--format', 'openai', '--out', out]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /recording twice\/trajectory\.json: the openai line breaks the format's rules: tools\.1\.function\.name: tool "lookup" declared twice \(nothing written\)/);
  assert.equal(readFileSync(out, 'utf8'), 'previous export\n');
  assert.deepEqual(readdirSync(dir), ['sft.jsonl']);
});

test('usage errors: no format, an input that is not a run or recordings', async () => {
  assert.equal((await runCli(['export', 'sft', runs[0]!, '--out', join(work, 'x.jsonl')])).code, 2);
  const r = await runCli(['export', 'sft', pool, '--format', 'trl', '--out', join(work, 'x.jsonl')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /neither a run folder \(no run\.json\) nor a recordings folder/);
  const help = await runCli(['export', 'sft', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--min-reward/);
});
