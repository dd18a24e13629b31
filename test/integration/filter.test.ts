/**
 * `clawgym filter` and `clawgym pool stats` on a small procedural pool with planted bad tasks: one
 * whose nop already scores, one whose oracle fails, one copy of another task, one that does not
 * load — each dropped by its filter with its reason; quotas thin a category; stats count the pool.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runCli, tempDir, writeRaw, writeTask } from '../helpers.ts';
import { FilterReport } from '../../src/core/synth/filter/report.ts';
import { PoolStats } from '../../src/core/synth/pool/stats.ts';

let pool = '';
const FAMILIES = 'expense-rollup,meeting-action-items';

before(async () => {
  pool = join(tempDir('clawgym-filter-'), 'pool');
  const r = await runCli(['synth', '--route', 'procedural', '--n', '8', '--seed', '5', '--out', pool, '--families', FAMILIES, '--no-progress']);
  assert.equal(r.code, 0, r.stderr);
  // nop > 0: one of its scored checks already holds on the untouched workspace.
  writeTask(pool, {
    id: 'planted-nop-scores',
    category: 'Analysis & Reasoning',
    verify: { checks: [{ id: 'input_there', type: 'file_exists', path: 'in.txt' }, { id: 'out', type: 'file_exists', path: 'out.txt' }] },
  }, { 'workspace/in.txt': 'x\n', 'solution/solve.sh': 'touch out.txt\n' });
  // The oracle fails: its solution writes the wrong thing.
  writeTask(pool, {
    id: 'planted-oracle-fails',
    category: 'Analysis & Reasoning',
    verify: { checks: [{ id: 'answer', type: 'text_equals', path: 'answer.txt', text: '42' }] },
  }, { 'workspace/q.txt': 'what is six times seven?\n', 'solution/solve.sh': 'echo 41 > answer.txt\n' });
  // A copy of a sound task under another id (sorted after the original, which is kept).
  const original = readdirSync(pool).filter((d) => d.startsWith('expense-rollup-'))[0]!;
  cpSync(join(pool, original), join(pool, 'zz-copy-of-expense'), { recursive: true });
  const y = join(pool, 'zz-copy-of-expense', 'task.yaml');
  writeFileSync(y, readFileSync(y, 'utf8').replace(`id: ${original}`, 'id: zz-copy-of-expense'));
  // Does not load.
  writeRaw(join(pool, 'planted-broken', 'task.yaml'), 'id: planted-broken\ntitle: broken\ninstruction: x\ndifficulty: 9\n');
});

test('pool stats: counts by category, family, route and difficulty; duplicate rates', async () => {
  const r = await runCli(['pool', 'stats', pool, '--json']);
  assert.equal(r.code, 3, 'a task that does not load is reported by the exit code');
  const s = PoolStats.parse(JSON.parse(r.stdout));
  assert.equal(s.tasks, 11);
  assert.equal(s.load_errors, 1);
  assert.equal(s.by_family['expense-rollup'], 5);
  assert.equal(s.by_family['meeting-action-items'], 4);
  assert.equal(s.by_route.procedural, 9);
  assert.equal(s.by_route.manual, 2);
  assert.equal(Object.values(s.by_difficulty).reduce((a, b) => a + b, 0), 11);
  assert.equal(s.by_category['Analysis & Reasoning'], 7);
  assert.equal(s.workspace_duplicates, 2, 'the copy and its original');
  assert.ok(s.instruction_near_duplicates >= 2);
  const text = await runCli(['pool', 'stats', pool]);
  assert.match(text.stdout, /by family:\n(.|\n)*expense-rollup +5/);
  assert.match(text.stdout, /instruction near-duplicate rate \(Jaccard ≥ 0.8\): \d+\.\d\d%/);
  assert.match(text.stdout, /workspace duplicate rate: 18\.18% identical/);
});

test('filter: each planted bad task is dropped by its filter with its reason; the sound ones are copied', async () => {
  const out = join(tempDir('clawgym-filter-out-'), 'admitted');
  const r = await runCli(['filter', pool, '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = FilterReport.parse(JSON.parse(r.stdout));
  assert.deepEqual(FilterReport.parse(JSON.parse(readFileSync(join(out, 'filter-report.json'), 'utf8'))), report);
  const by = Object.fromEntries(report.dropped.map((d) => [d.id.replace(/.*\/(planted-broken)\/task\.yaml$/, '$1'), d]));
  assert.equal(by['planted-broken']!.filter, 'schema');
  assert.match(by['planted-broken']!.reason, /difficulty/);
  assert.equal(by['planted-nop-scores']!.filter, 'nop-zero');
  assert.match(by['planted-nop-scores']!.reason, /nop scores 0\.5000/);
  assert.equal(by['planted-oracle-fails']!.filter, 'oracle-pass');
  assert.match(by['planted-oracle-fails']!.reason, /oracle scores 0\.0000/);
  assert.equal(by['zz-copy-of-expense']!.filter, 'dedup');
  assert.match(by['zz-copy-of-expense']!.reason, /near-duplicate of expense-rollup-/);
  assert.equal(report.dropped.length, 4);
  assert.deepEqual(report.steps.map((s) => [s.filter, s.entered, s.dropped]), [['schema', 12, 1], ['nop-zero', 11, 1], ['oracle-pass', 10, 1], ['deterministic', 9, 0], ['dedup', 9, 1]]);
  assert.equal(report.admitted.length, 8);
  for (const a of report.admitted) assert.ok(existsSync(join(out, a.id, 'task.yaml')), a.id);
  // The admitted copies are themselves a sound pool.
  const run = await runCli(['run', out, '--agent', 'oracle', '--json', '--no-progress', '--out', join(out, '..', 'oracle-run')]);
  const results = run.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.event === 'result');
  assert.equal(results.length, 8);
  assert.ok(results.every((x) => x.reward === 1));
});

test('filter: quotas per category, only the cheap filters, --list; a rerun replaces what it admitted before', async () => {
  const out = join(tempDir('clawgym-filter-quota-'), 'admitted');
  const r = await runCli(['filter', pool, '--out', out, '--require', 'schema,dedup', '--quota', 'Analysis & Reasoning=2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = FilterReport.parse(JSON.parse(r.stdout));
  assert.deepEqual(report.runs, {}, 'no runs for schema and dedup');
  const cats = report.admitted.map((a) => a.category);
  assert.equal(cats.filter((c) => c === 'Analysis & Reasoning').length, 2);
  assert.equal(cats.filter((c) => c === 'Productivity & Collaboration').length, 4);
  const quota = report.dropped.filter((d) => d.filter === 'quota');
  assert.equal(quota.length, 4);
  assert.match(quota[0]!.reason, /category "Analysis & Reasoning" is capped at 2/);
  // Round-robin over families: the two kept in the capped category are not both the planted ones.
  assert.ok(report.admitted.some((a) => a.family === 'expense-rollup'));

  const listed = await runCli(['filter', pool, '--out', out, '--require', 'schema,dedup', '--quota', '*=1', '--list', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const lr = FilterReport.parse(JSON.parse(listed.stdout));
  assert.equal(lr.admitted.length, 2);
  assert.equal(readFileSync(join(out, 'admitted.txt'), 'utf8').trim().split('\n').length, 2);
  // The folders the first filter copied are gone: this one only lists.
  assert.equal(readdirSync(out).filter((d) => existsSync(join(out, d, 'task.yaml'))).length, 0);

  const bad = await runCli(['filter', pool, '--out', out, '--require', 'schema,nonsense']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown filter/);
});

test('filter --require mutants: tasks whose checks miss a wrong mutant or reject a variant are dropped; pool stats gives kill rates', { timeout: 900_000 }, async () => {
  const root = tempDir('clawgym-filter-mutants-');
  const mpool = join(root, 'pool');
  const r0 = await runCli(['synth', '--route', 'procedural', '--n', '4', '--seed', '6', '--out', mpool, '--families', FAMILIES, '--no-progress']);
  assert.equal(r0.code, 0, r0.stderr);
  const sound = readdirSync(mpool).sort();
  const expense = sound.find((d) => d.startsWith('expense-rollup-'))!;
  // A wrong mutant the checks cannot catch (its script is the oracle), and a variant they reject (it does nothing).
  const plant = (id: string, script: (mutants: { mutants: Array<{ id: string; kind: string }> }) => [string, string]) => {
    cpSync(join(mpool, expense), join(mpool, id), { recursive: true });
    const y = join(mpool, id, 'task.yaml');
    writeFileSync(y, readFileSync(y, 'utf8').replace(`id: ${expense}`, `id: ${id}`));
    const [mutant, text] = script(JSON.parse(readFileSync(join(mpool, id, 'solution', 'mutants.json'), 'utf8')));
    writeFileSync(join(mpool, id, 'solution', 'mutants', `${mutant}.sh`), text);
  };
  plant('planted-blind-checks', (m) => [m.mutants.find((x) => x.kind === 'wrong')!.id, readFileSync(join(mpool, expense, 'solution', 'solve.sh'), 'utf8')]);
  plant('planted-strict-checks', (m) => [m.mutants.find((x) => x.kind === 'variant')!.id, '#!/usr/bin/env bash\ntrue\n']);
  // No mutants at all.
  writeTask(mpool, { id: 'planted-no-mutants', category: 'Analysis & Reasoning', verify: { checks: [{ id: 'out', type: 'file_exists', path: 'out.txt' }] } }, { 'solution/solve.sh': 'touch out.txt\n' });

  const out = join(root, 'admitted');
  const r = await runCli(['filter', mpool, '--out', out, '--require', 'schema,mutants', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = FilterReport.parse(JSON.parse(r.stdout));
  const by = Object.fromEntries(report.dropped.map((d) => [d.id, d]));
  assert.equal(by['planted-blind-checks']!.filter, 'mutants');
  assert.match(by['planted-blind-checks']!.reason, /wrong mutant \S+ .*scores 1: the checks do not catch it/);
  assert.match(by['planted-strict-checks']!.reason, /variant \S+ scores 0\.\d+: the checks reject an acceptable answer/);
  assert.match(by['planted-no-mutants']!.reason, /no solution\/mutants\.json/);
  assert.deepEqual(report.admitted.map((a) => a.id).sort(), sound);
  const m = report.mutants!;
  assert.equal(m.killed, m.wrong - 1, 'every wrong mutant but the planted one is caught');
  assert.equal(m.variants_accepted, m.variants - 1);
  assert.equal(m.without_mutants, 1);
  const text = await runCli(['filter', mpool, '--out', out, '--require', 'schema,mutants']);
  assert.match(text.stdout, /mutants: kill rate \d+\.\d% \(\d+\/\d+ wrong mutants score < 1\)/);

  // pool stats reuses the filter's outcomes for the mutants and runs the oracles for the files they touch.
  const s = await runCli(['pool', 'stats', mpool, '--mutants-dir', join(out, '.filter', 'mutants'), '--json']);
  assert.equal(s.code, 0, s.stderr);
  const stats = PoolStats.parse(JSON.parse(s.stdout));
  assert.equal(stats.mutants!.by_family['expense-rollup']!.killed, stats.mutants!.by_family['expense-rollup']!.wrong - 1);
  assert.equal(stats.mutants!.by_family['meeting-action-items']!.kill_rate, 1);
  assert.equal(stats.mutants!.tasks_without, 1);
  const d = stats.difficulty['meeting-action-items']!;
  assert.equal(d.files_from, 'oracle');
  assert.equal(d.files_touched, 1, 'the oracle writes action_items.csv only');
  assert.equal(d.steps, 3);
  assert.ok(d.rules >= 4 && d.estimate === d.steps + d.files_touched + d.rules, JSON.stringify(d));
  const plain = await runCli(['pool', 'stats', mpool]);
  assert.match(plain.stdout, /difficulty estimate by family \(.*estimated from the checked files/);
  assert.match(plain.stdout, /meeting-action-items +\d+\.\d\d +3\.00 +1\.00/);
});
