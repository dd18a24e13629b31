/**
 * Mutant solutions, for every registered family: one seed at difficulties 1, 3 and 5, each
 * task written as the pool writes it and every mutant run as the oracle is (real sandbox, real
 * verification). Every `wrong` mutant must score below 1, every `variant` exactly 1, and every
 * rule the task states must be ignored by a wrong mutant that scores below 1. Families still in
 * MUTANTS_PENDING are skipped, by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { getSandbox } from '../../src/core/sandbox/probe.js';
import { loadTasks } from '../../src/core/task/load.js';
import { readMutants } from '../../src/core/task/solutions.js';
import { mutantsProblem, runMutant, runTaskMutants } from '../../src/core/synth/filter/mutants.js';
import { bundledPersonas } from '../../src/core/synth/personas.js';
import { FAMILIES } from '../../src/core/synth/procedural/families/index.js';
import { MUTANTS_PENDING } from '../../src/core/synth/procedural/families/mutants-pending.js';
import type { Difficulty } from '../../src/core/synth/procedural/family.js';
import { proceduralTask, writeTaskFolder } from '../../src/core/synth/procedural/generate.js';
import { tempDir } from '../helpers.js';

const SEEDS = [11];
const LEVELS: Difficulty[] = [1, 3, 5];
const personas = bundledPersonas();
const dir = tempDir();
chmodSync(dir, 0o755);
// One limit over every family's trials: the machine is shared.
const limit = pLimit(Math.max(2, availableParallelism()));

test('MUTANTS_PENDING names registered families only', () => {
  const ids = new Set(FAMILIES.map((f) => f.id));
  assert.deepEqual([...MUTANTS_PENDING].filter((id) => !ids.has(id)), []);
});

test('every family: wrong mutants score < 1, variants score 1, every stated rule is witnessed', { concurrency: true, timeout: 1_800_000 }, async (t) => {
  const sandbox = await getSandbox('bwrap');
  await Promise.all(
    FAMILIES.map((f) =>
      t.test(f.id, { skip: MUTANTS_PENDING.has(f.id) && `${f.id} has no rules/mutants yet (MUTANTS_PENDING)` }, async () => {
        for (const seed of SEEDS) {
          for (const level of LEVELS) {
            const task = proceduralTask(0, { seed, personas, families: [f], difficulties: [level] });
            const where = `${f.id} seed ${seed} difficulty ${level}`;
            const { rules, mutants } = task.mutants;
            assert.ok(rules.length > 0, `${where}: states no rules`);
            assert.ok(mutants.some((m) => m.kind === 'variant'), `${where}: no acceptable variant`);
            for (const r of rules) assert.ok(mutants.some((m) => m.kind === 'wrong' && m.rule === r.id), `${where}: no wrong mutant ignores rule ${r.id}`);
            // Written and read back as a pool task is.
            const folder = join(dir, f.id, `s${seed}-d${level}`);
            await writeTaskFolder(folder, task);
            const { tasks, errors } = await loadTasks([folder]);
            assert.deepEqual(errors, []);
            assert.deepEqual(await readMutants(tasks[0]!), task.mutants, `${where}: mutants.json round-trips`);
            const trials = join(dir, 'trials', f.id, `s${seed}-d${level}`);
            // The oracle too: retrofitting a family changes its generator.
            const oracle = await limit(() => runMutant(tasks[0]!, { id: 'oracle', kind: 'variant', description: 'the oracle', solution: task.solution }, { sandbox, dir: trials }));
            assert.equal(oracle.reward, 1, `${where}: the oracle scores ${oracle.reward}${oracle.error ? ` (${oracle.error})` : ''}`);
            const outcome = await runTaskMutants(tasks[0]!, { sandbox, dir: trials, limit });
            const bad = outcome.mutants.filter((m) => !m.behaved).map((m) => `${m.kind} ${m.id}: reward ${m.reward}${m.error ? ` (${m.error})` : ''}`);
            assert.deepEqual(bad, [], `${where}: ${mutantsProblem(outcome) ?? ''}`);
            assert.deepEqual(outcome.unwitnessed, [], `${where}: rules no failing wrong mutant witnesses`);
          }
        }
      }),
    ),
  );
});
