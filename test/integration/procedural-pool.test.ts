/**
 * The procedural route at full size: `clawgym synth --route procedural --n 13500 --seed 1` writes
 * 13,500 valid tasks; a sample of 500 spread over the pool scores 1.0 with oracle and 0.0 with
 * nop; every task.yaml reads the same in PyYAML as in ClawGym; the same seed gives a byte-identical
 * pool, another seed different tasks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { FAMILIES } from '../../src/core/synth/procedural/families/index.js';
import { BENCH_CATEGORIES } from '../../src/core/synth/procedural/family.js';
import { runCli, tempDir } from '../helpers.js';
import { hasPyYaml, pyyamlDisagreements } from '../pyyaml.js';

const N = 13_500;
/** How many tasks the reproducibility test generates again (every family several times over). */
const TWIN = 1_500;
const SAMPLE = 500;

/** One digest over every path and byte of a tree, in sorted order. */
function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const rel = relative(root, p);
      let entries: string[] | undefined;
      try {
        entries = readdirSync(p);
      } catch {
        /* a file */
      }
      if (entries) walk(p);
      else h.update(`${rel}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(root);
  return h.digest('hex');
}

const dir = tempDir();
chmodSync(dir, 0o755);
const pool = join(dir, 'pool');

test(`synth --n ${N} writes ${N} valid tasks over every family and category`, { timeout: 600_000 }, async () => {
  const gen = await runCli(['synth', '--route', 'procedural', '--n', String(N), '--seed', '1', '-o', pool, '--json']);
  assert.equal(gen.code, 0, gen.stderr);
  const summary = JSON.parse(gen.stdout);
  assert.equal(summary.written, N);
  assert.equal(Object.keys(summary.byFamily).length, FAMILIES.length);
  const v = await runCli(['validate', pool, '--json']);
  assert.equal(v.code, 0, v.stdout.slice(0, 2000));
  assert.equal(JSON.parse(v.stdout).valid, N);
  assert.deepEqual([...new Set(FAMILIES.map((f) => f.category))].sort(), [...BENCH_CATEGORIES].sort());
  // Rerunning is a resume: nothing is rewritten.
  const again = await runCli(['synth', '--n', String(N), '--seed', '1', '-o', pool, '--json']);
  assert.deepEqual([JSON.parse(again.stdout).written, JSON.parse(again.stdout).skipped], [0, N]);
});

test(`every task.yaml of the ${N}-task pool reads the same in PyYAML (YAML 1.1) as in ClawGym`, { skip: !hasPyYaml() && 'needs Debian python3-yaml', timeout: 600_000 }, async () => {
  const files = readdirSync(pool).sort().map((id) => join(pool, id, 'task.yaml'));
  assert.equal(files.length, N);
  const bad = await pyyamlDisagreements(files);
  assert.deepEqual(bad.slice(0, 20), [], `${bad.length} of ${N} task.yaml files read differently`);
});

test(`a sample of ${SAMPLE} tasks spread over the pool: oracle scores 1.0 and nop 0.0 on every one`, { timeout: 900_000 }, async () => {
  const ids = readdirSync(pool).sort();
  const step = Math.floor(ids.length / SAMPLE);
  const sample = Array.from({ length: SAMPLE }, (_, k) => join(pool, ids[k * step]!));
  for (const agent of ['oracle', 'nop'] as const) {
    const out = join(dir, agent);
    const r = await runCli(['run', ...sample, '--agent', agent, '--out', out, '--no-progress']);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task_id: string; reward: number; error: string | null });
    assert.equal(lines.length, SAMPLE);
    const want = agent === 'oracle' ? 1 : 0;
    const bad = lines.filter((l) => l.reward !== want || l.error);
    assert.deepEqual(bad.map((l) => `${l.task_id}: ${l.reward} ${l.error ?? ''}`), [], `${agent}: every task scores ${want}`);
  }
});

test(`the same seed gives byte-identical tasks (the first ${TWIN} again); another seed gives different tasks`, { timeout: 600_000 }, async () => {
  // Task i is a pure function of (seed, i): a fresh pool of the first TWIN tasks must match the
  // full pool's first TWIN folders byte for byte (a whole second 13.5K pool would only cost time).
  const twin = join(dir, 'twin');
  assert.equal((await runCli(['synth', '--n', String(TWIN), '--seed', '1', '-o', twin, '--no-progress'])).code, 0);
  const twins = readdirSync(twin).sort();
  assert.equal(twins.length, TWIN);
  assert.deepEqual(twins.filter((id) => treeHash(join(twin, id)) !== treeHash(join(pool, id))), []);
  const other = join(dir, 'other');
  assert.equal((await runCli(['synth', '--n', '60', '--seed', '2', '-o', other, '--no-progress'])).code, 0);
  // Task i of either seed comes from the same family: compare what the agent is given.
  const given = (root: string, id: string) => {
    const spec = parse(readFileSync(join(root, id, 'task.yaml'), 'utf8')) as { instruction: string };
    return `${spec.instruction}\n${treeHash(join(root, id, 'workspace'))}`;
  };
  const a = readdirSync(pool).sort().slice(0, 60).map((id) => given(pool, id));
  const b = new Set(readdirSync(other).sort().map((id) => given(other, id)));
  assert.equal(b.size, 60);
  assert.equal(a.filter((x) => b.has(x)).length, 0, 'no task of seed 2 gives the agent what a task of seed 1 does');
});
