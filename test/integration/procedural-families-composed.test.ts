/**
 * The composed families (multi-step workflows): registered after the single-purpose ones, drawing
 * difficulty from the composed mix, deterministic in the seed, and sound — for each family a task
 * at difficulty 2 and one at 5 run through the real CLI in real sandboxes: oracle 1.0, nop 0.0.
 * (Their mutants run in mutants.test.ts, which covers every registered family.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPOSED_FAMILIES, COMPOSED_MIX } from '../../src/core/synth/procedural/families/composed/index.js';
import { FAMILIES } from '../../src/core/synth/procedural/families/index.js';
import { BENCH_CATEGORIES } from '../../src/core/synth/procedural/family.js';
import { generateProcedural, proceduralTask } from '../../src/core/synth/procedural/generate.js';
import { bundledPersonas } from '../../src/core/synth/personas.js';
import { runCli, tempDir } from '../helpers.js';

const LEVELS = [2, 5] as const;
const personas = bundledPersonas();
const dir = tempDir();
chmodSync(dir, 0o755);

test('twelve composed families, appended at the end of the library, over at least five categories', () => {
  assert.ok(COMPOSED_FAMILIES.length >= 12);
  assert.deepEqual(FAMILIES.slice(-COMPOSED_FAMILIES.length).map((f) => f.id), COMPOSED_FAMILIES.map((f) => f.id));
  assert.ok(new Set(COMPOSED_FAMILIES.map((f) => f.category)).size >= 5);
  for (const f of COMPOSED_FAMILIES) assert.ok((BENCH_CATEGORIES as readonly string[]).includes(f.category), f.id);
  assert.equal(new Set(FAMILIES.map((f) => f.id)).size, FAMILIES.length, 'family ids are unique');
});

test('a pool draws composed tasks from the composed difficulty mix, single ones from 1–5', () => {
  const seen = new Set<number>();
  for (let i = 0; i < FAMILIES.length * 4; i++) {
    const t = proceduralTask(i, { seed: 9, personas });
    if (COMPOSED_FAMILIES.some((f) => f.id === t.family.id)) {
      assert.ok(COMPOSED_MIX.includes(t.spec.difficulty as 2), `${t.spec.id}: difficulty ${t.spec.difficulty}`);
      seen.add(t.spec.difficulty ?? 0);
    }
  }
  assert.ok(!seen.has(1) && seen.size >= 3, [...seen].join(','));
});

test('composed generators are deterministic in the seed and state their rules and mutants', () => {
  for (const f of COMPOSED_FAMILIES) {
    for (const d of [2, 5] as const) {
      const a = proceduralTask(0, { seed: 4242, personas, families: [f], difficulties: [d] });
      const b = proceduralTask(0, { seed: 4242, personas, families: [f], difficulties: [d] });
      assert.equal(JSON.stringify(a), JSON.stringify(b), `${f.id} d${d}`);
      assert.ok(a.mutants.rules.length >= 3, `${f.id}: ${a.mutants.rules.length} rules`);
      assert.ok(Object.keys(a.workspace).length >= 8, `${f.id}: a messy workspace, not a lone file`);
    }
  }
});

test(`oracle scores 1.0 and nop 0.0 on every composed family at difficulties ${LEVELS.join(' and ')}`, { timeout: 900_000 }, async () => {
  const pools: string[] = [];
  for (const level of LEVELS) {
    for (const f of COMPOSED_FAMILIES) {
      const out = join(dir, `d${level}`, f.id);
      await generateProcedural({ n: 1, seed: 300 + level, out, personas, families: [f], difficulties: [level] });
      pools.push(out);
    }
  }
  for (const agent of ['oracle', 'nop'] as const) {
    const out = join(dir, `run-${agent}`);
    const r = await runCli(['run', ...pools, '--agent', agent, '--out', out, '--no-progress']);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task_id: string; reward: number; error: string | null });
    assert.equal(lines.length, LEVELS.length * COMPOSED_FAMILIES.length);
    const want = agent === 'oracle' ? 1 : 0;
    const bad = lines.filter((l) => l.reward !== want || l.error);
    assert.deepEqual(bad.map((l) => `${l.task_id}: ${l.reward} ${l.error ?? ''}`), [], `${agent}: every task scores ${want}`);
  }
});
