/**
 * A recorded black box's transcript.jsonl: `run --agent command --record` with an agent (Python,
 * stdlib HTTP, in the bwrap sandbox) that makes tool calls through the recording proxy to the
 * tests' Chat Completions server. The transcript is built from the recorded calls in OpenClaw's
 * shape — every tool call and every tool result — so a PinchBench `grade()` and the transcript
 * checks (tool used, turn count) see the tool use, not just the agent's stdout.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, tempDir, writeTask } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';
import { parseTranscript, toolCalls } from '../../src/core/trace/transcript.ts';

const llm = new MockLlm();
before(() => llm.start());
after(() => llm.stop());

const AGENT_PY = `
import json, os, subprocess, sys, urllib.request
base, key = os.environ["OPENAI_BASE_URL"], os.environ["OPENAI_API_KEY"]
tools = [{"type": "function", "function": {"name": n, "parameters": {"type": "object"}}} for n in ("exec", "write")]
def call(body):
    req = urllib.request.Request(base + "/chat/completions", data=json.dumps(body).encode(), headers={"content-type": "application/json", "authorization": "Bearer " + key})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["choices"][0]["message"]
msgs = [{"role": "system", "content": "You are a shell agent."}, {"role": "user", "content": sys.stdin.read()}]
for _ in range(6):
    m = call({"model": "mock-model", "messages": msgs, "tools": tools})
    msgs.append(m)
    if not m.get("tool_calls"):
        break
    for c in m["tool_calls"]:
        a = json.loads(c["function"]["arguments"])
        if c["function"]["name"] == "exec":
            out = subprocess.run(a["command"], shell=True, capture_output=True, text=True).stdout
        else:
            open(a["path"], "w").write(a["content"])
            out = "wrote " + a["path"]
        msgs.append({"role": "tool", "tool_call_id": c["id"], "content": out})
print("agent stdout: finished")
`;

const GRADE = `
def grade(transcript, workspace_path):
    calls = [c for e in transcript if e.get("type") == "message" and e["message"]["role"] == "assistant"
             for c in e["message"]["content"] if c.get("type") == "toolCall"]
    results = [e["message"] for e in transcript if e.get("type") == "message" and e["message"]["role"] == "toolResult"]
    return {
        "ran_wc": 1.0 if any(c["name"] == "exec" and "wc" in c["arguments"].get("command", "") for c in calls) else 0.0,
        "saw_output": 1.0 if any(r.get("toolName") == "exec" and "3" in r["content"][0]["text"] for r in results) else 0.0,
    }
`;

test('run --agent command --record: transcript.jsonl has every tool call and result; grade() and the transcript checks see them', async () => {
  llm.setScript([
    { content: 'Counting first.', tool_calls: [{ id: 'call_wc', name: 'exec', arguments: { command: 'wc -l < notes.txt' } }] },
    { tool_calls: [{ id: 'call_write', name: 'write', arguments: { path: 'count.txt', content: '3\n' } }] },
    { content: 'notes.txt has 3 lines; wrote count.txt.' },
  ]);
  const root = tempDir();
  const task = writeTask(
    root,
    {
      id: 'count-lines',
      instruction: 'Count the lines of notes.txt into count.txt.',
      verify: {
        checks: [
          { id: 'count', type: 'text_equals', path: 'count.txt', text: '3' },
          { id: 'grade', type: 'pinchbench_grade', code: GRADE },
          { id: 'used-exec', type: 'tool_used', tool: 'exec' },
          { id: 'turns', type: 'turn_count', min: 3, max: 3 },
        ],
      },
    },
    { 'workspace/notes.txt': 'a\nb\nc\n' },
  );
  writeFileSync(join(task, 'workspace', 'agent.py'), AGENT_PY);
  const config = join(root, 'config.json');
  writeFileSync(config, JSON.stringify({ api_key: 'sk-clawgym-transcript-0123456789abcdef' }));
  const runDir = join(root, 'run');
  const r = await runCli(['run', task, '--agent', 'command', '--command', 'python3 agent.py', '--record', '--base-url', llm.url, '--config', config, '--sandbox', 'bwrap', '--out', runDir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const trial = join(runDir, 'trials', 'count-lines', '1');
  const line = JSON.parse(readFileSync(join(runDir, 'results.jsonl'), 'utf8').trim());
  const verify = JSON.parse(readFileSync(join(trial, 'verify.json'), 'utf8'));
  assert.equal(line.reward, 1, `${line.error ?? ''} ${JSON.stringify(verify.checks ?? verify)}\n${readFileSync(join(trial, 'logs', 'agent.stderr'), 'utf8')}`);

  const entries = parseTranscript(readFileSync(join(trial, 'transcript.jsonl'), 'utf8'));
  const messages = entries.filter((e) => e.type === 'message').map((e) => e.message!);
  assert.deepEqual(
    messages.map((m) => m.role),
    ['user', 'assistant', 'toolResult', 'assistant', 'toolResult', 'assistant'],
  );
  assert.equal((messages[0]!.content[0] as { text: string }).text, 'Count the lines of notes.txt into count.txt.');
  assert.deepEqual(toolCalls(entries), [
    { name: 'exec', arguments: { command: 'wc -l < notes.txt' } },
    { name: 'write', arguments: { path: 'count.txt', content: '3\n' } },
  ]);
  assert.equal(messages[2]!.toolCallId, 'call_wc');
  assert.equal(messages[2]!.toolName, 'exec');
  assert.equal((messages[2]!.content[0] as { text: string }).text.trim(), '3');
  assert.equal((messages.at(-1)!.content[0] as { text: string }).text, 'notes.txt has 3 lines; wrote count.txt.');
  // The stdout is not a turn of its own when the model turns were recorded.
  assert.ok(!readFileSync(join(trial, 'transcript.jsonl'), 'utf8').includes('agent stdout: finished'));
});
