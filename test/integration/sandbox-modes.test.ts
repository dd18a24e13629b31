/**
 * The claw agent in one persistent sandbox per trial gets exactly what it got with a sandbox per
 * tool call (CLAWGYM_SANDBOX_PER_CALL=1): the same reward and the same observation for every
 * tool call, on the bundled examples (the oracle's solve.sh run through `exec`: 1.0) and on
 * ClawGym-Bench tasks (a model that looks around, reads, writes and gives up).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BENCH, EXAMPLES, runCli, tempDir } from '../helpers.ts';
import { MockLlm, type RecordedRequest, type ScriptedTurn } from '../mock-llm.ts';

const llm = new MockLlm();
const dir = tempDir();
let config = '';

before(async () => {
  await llm.start();
  config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ api_key: 'sk-modes-test-0123456789abcdef', max_retries: 1 }));
});
after(() => llm.stop());

/** Turns of one conversation, chosen by how many tool results it has seen so far. */
function scripted(turns: (instruction: string) => ScriptedTurn[]) {
  return (req: RecordedRequest): ScriptedTurn => {
    const msgs = req.body.messages ?? [];
    const instruction = String(msgs.find((m) => m.role === 'user')?.content ?? '');
    const done = msgs.filter((m) => m.role === 'assistant').length;
    return turns(instruction)[done] ?? { content: 'Done.' };
  };
}

/** Test runners' timings ("Ran 17 tests in 0.005s") differ from run to run whatever the sandbox. */
const timeless = (s: string) => s.replace(/\bin \d+\.\d+ ?s\b/g, 'in N s');

async function claw(tasks: string, out: string, perCall: boolean, extra: string[] = []) {
  const r = await runCli(['run', tasks, '--agent', 'claw', '--model', 'm', '--base-url', llm.url, '--config', config, '--out', out, '--no-progress', '--json', ...extra], { env: perCall ? { CLAWGYM_SANDBOX_PER_CALL: '1' } : { CLAWGYM_SANDBOX_PER_CALL: '' } });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task_id: string; reward: number; error: string | null; trial_dir: string });
  return new Map(
    lines.map((l) => {
      const t = JSON.parse(readFileSync(join(out, l.trial_dir, 'trajectory.json'), 'utf8')) as { steps: Array<{ observation?: { results: Array<{ content: string }> } }> };
      return [l.task_id, { reward: l.reward, error: l.error, observations: t.steps.flatMap((s) => s.observation?.results.map((o) => timeless(o.content)) ?? []) }];
    }),
  );
}

function same(a: Awaited<ReturnType<typeof claw>>, b: Awaited<ReturnType<typeof claw>>) {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [id, x] of a) {
    const y = b.get(id)!;
    assert.equal(x.error, null, `${id}: ${x.error}`);
    assert.equal(y.reward, x.reward, `${id}: persistent ${y.reward}, per call ${x.reward}`);
    assert.deepEqual(y.observations, x.observations, `${id}: the tools answered the same`);
  }
}

test('bundled examples: the oracle through the claw tools scores 1.0 either way, with the same observations', { timeout: 300_000 }, async () => {
  const solve = new Map(
    readdirSync(EXAMPLES).map((id) => {
      const spec = readFileSync(join(EXAMPLES, id, 'task.yaml'), 'utf8');
      return [id, { spec, script: readFileSync(join(EXAMPLES, id, 'solution', 'solve.sh'), 'utf8') }] as const;
    }),
  );
  const scriptFor = (instruction: string) => [...solve.values()].find((s) => s.spec.includes(instruction.slice(0, 60).split('\n')[0]!))?.script;
  llm.setScript(
    scripted((instruction) => {
      const script = scriptFor(instruction);
      return [
        { content: 'Looking around first.', tool_calls: [{ name: 'exec', arguments: { command: 'ls -R && find . -type f | sort | head -50' } }] },
        { tool_calls: [{ name: 'exec', arguments: { command: script ?? 'echo no solution' } }] },
        { tool_calls: [{ name: 'exec', arguments: { command: 'echo tmp > /tmp/x && cat /tmp/x' } }] },
      ];
    }),
  );
  const perCall = await claw(EXAMPLES, join(dir, 'ex-per-call'), true);
  const persistent = await claw(EXAMPLES, join(dir, 'ex-persistent'), false);
  same(perCall, persistent);
  assert.ok([...persistent.values()].every((r) => r.reward === 1), JSON.stringify([...persistent].map(([k, v]) => [k, v.reward])));
});

test('ClawGym-Bench tasks: a model that looks, reads, writes and gives up gets the same reward and observations either way', { timeout: 300_000, skip: !existsSync(BENCH) && 'no ../shared/datasets/clawgym-bench' }, async () => {
  llm.setScript(
    scripted(() => [
      { tool_calls: [{ name: 'exec', arguments: { command: 'find . -type f | sort | head -40; echo; wc -l $(find . -type f | sort | head -5) 2>&1 | tail -3' } }] },
      { tool_calls: [{ name: 'read', arguments: { path: 'missing-file.txt' } }, { name: 'write', arguments: { path: 'build/notes.md', content: '# notes\n' } }] },
      { tool_calls: [{ name: 'exec', arguments: { command: 'python3 -c "import sys; print(sys.version_info[:2])"; exit 3' } }] },
      { content: 'I could not finish this.' },
    ]),
  );
  const include = ['--include', 'task_000*'];
  const perCall = await claw(BENCH, join(dir, 'bench-per-call'), true, include);
  const persistent = await claw(BENCH, join(dir, 'bench-persistent'), false, include);
  assert.equal(perCall.size, 10);
  same(perCall, persistent);
});
