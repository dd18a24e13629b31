/**
 * The Software Dev families (Python projects, releases, manifests) and the ADR register that came
 * with them: for each family,
 * tasks at difficulty 1 and 5 are generated and run through the real CLI in real sandboxes — the
 * oracle scores exactly 1.0 and nop exactly 0.0 on every one, with no errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FAMILIES } from '../../src/core/synth/procedural/families/index.js';
import { generateProcedural, proceduralTask } from '../../src/core/synth/procedural/generate.js';
import { bundledPersonas } from '../../src/core/synth/personas.js';
import { runCli, tempDir } from '../helpers.js';

/** These run real Python in the sandbox, so they get their own oracle/nop run. */
const IDS = ['py-symbol-rename', 'py-failing-test-fix', 'py-unit-tests-write', 'release-version-bump', 'deps-manifest-sync', 'adr-register'];
const SOFTWARE_DEV = IDS.map((id) => FAMILIES.find((f) => f.id === id)!);
const PER_LEVEL = 2;
const LEVELS = [1, 5] as const;
const personas = bundledPersonas();
const dir = tempDir();
chmodSync(dir, 0o755);

test('the library holds the Software Dev families, with unique ids', () => {
  assert.ok(SOFTWARE_DEV.every(Boolean), 'every one is registered');
  assert.equal(SOFTWARE_DEV.filter((f) => f.category === 'Software Dev').length, 5);
  assert.equal(new Set(FAMILIES.map((f) => f.id)).size, FAMILIES.length, 'family ids are unique');
});

test('the Software Dev generators are deterministic in the seed', () => {
  for (const f of SOFTWARE_DEV) {
    for (const i of [0, 1, 2]) {
      const a = proceduralTask(i, { seed: 4242, personas, families: [f] });
      const b = proceduralTask(i, { seed: 4242, personas, families: [f] });
      assert.equal(JSON.stringify(a), JSON.stringify(b), `${f.id} task ${i}`);
    }
  }
});

test(`oracle scores 1.0 and nop 0.0 on every Software Dev family at difficulties ${LEVELS.join(' and ')}`, { timeout: 600_000 }, async () => {
  const pools: string[] = [];
  for (const level of LEVELS) {
    for (const f of SOFTWARE_DEV) {
      // A seed per level keeps task ids distinct across the pools of one run.
      const out = join(dir, `d${level}`, f.id);
      await generateProcedural({ n: PER_LEVEL, seed: 100 + level, out, personas, families: [f], difficulties: [level] });
      for (const id of readdirSync(out)) {
        const spec = parse(readFileSync(join(out, id, 'task.yaml'), 'utf8')) as { difficulty: number; category: string };
        assert.equal(spec.difficulty, level, id);
        assert.equal(spec.category, f.category, id);
      }
      pools.push(out);
    }
  }
  const total = PER_LEVEL * LEVELS.length * SOFTWARE_DEV.length;
  for (const agent of ['oracle', 'nop'] as const) {
    const out = join(dir, `run-${agent}`);
    const r = await runCli(['run', ...pools, '--agent', agent, '--out', out, '--no-progress']);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task_id: string; reward: number; error: string | null });
    assert.equal(lines.length, total);
    const want = agent === 'oracle' ? 1 : 0;
    const bad = lines.filter((l) => l.reward !== want || l.error);
    assert.deepEqual(bad.map((l) => `${l.task_id}: ${l.reward} ${l.error ?? ''}`), [], `${agent}: every task scores ${want}`);
    for (const f of SOFTWARE_DEV) assert.equal(lines.filter((l) => l.task_id.startsWith(`${f.id}-s`)).length, PER_LEVEL * LEVELS.length, f.id);
  }
});
