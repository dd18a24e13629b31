/** saveNativeTask: every format saves as a native task that loads back with the same spec and files. */
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyFileSet, listFileSet, safeRelPath } from '../../src/core/task/fileset.js';
import { loadOneTask, loadTasks } from '../../src/core/task/load.js';
import { saveNativeTask, taskYaml } from '../../src/core/task/save.js';
import type { FileSet, Task } from '../../src/core/task/task.js';
import { ROOT, tempDir } from '../helpers.js';

const FX = join(ROOT, 'test', 'fixtures', 'formats');
const SOURCES = ['pinchbench', 'harbor', 'syndata', 'native'].map((d) => join(FX, d));

/** path → [bytes as base64, mode] over the sets in order (later sets overlay earlier ones). */
async function snapshot(sets: readonly (FileSet | undefined)[]): Promise<Record<string, [string, number]>> {
  const out: Record<string, [string, number]> = {};
  for (const set of sets) {
    if (!set) continue;
    for (const f of await listFileSet(set)) {
      const bytes = f.content !== undefined ? Buffer.from(f.content) : readFileSync(f.from!);
      out[f.path] = [bytes.toString('base64'), f.mode ?? 0o644];
    }
  }
  return out;
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

test('every fixture format saves as native and loads back with the same spec and files', async () => {
  const { tasks, errors } = await loadTasks(SOURCES);
  assert.deepEqual(errors, []);
  assert.deepEqual(tasks.map((t) => t.format).sort(), ['harbor', 'native', 'pinchbench', 'pinchbench', 'syndata', 'syndata']);
  const out = tempDir('clawgym-save-');
  for (const t of tasks) await saveNativeTask(t, join(out, t.spec.id));
  const back = await loadTasks([out]);
  assert.deepEqual(back.errors, []);
  const byId = new Map(back.tasks.map((t) => [t.spec.id, t]));
  for (const t of tasks) {
    const r = byId.get(t.spec.id)!;
    assert.ok(r, t.spec.id);
    assert.equal(r.format, 'native');
    assert.deepEqual(plain(r.spec), plain(t.spec), t.spec.id);
    assert.deepEqual(await snapshot(r.workspace), await snapshot(t.workspace), `${t.spec.id} workspace`);
    assert.deepEqual(await snapshot([r.tests]), await snapshot([t.tests]), `${t.spec.id} tests`);
    assert.deepEqual(await snapshot([r.solution]), await snapshot([t.solution]), `${t.spec.id} solution`);
    assert.equal(!!r.tests, !!t.tests);
    assert.equal(!!r.solution, !!t.solution);
  }
  // The executable bit survives (a solution script, a workspace script).
  assert.equal(lstatSync(join(out, 'task_01_notes', 'solution', 'solve.sh')).mode & 0o111, 0o111);
  assert.equal(lstatSync(join(out, 'export-demo', 'workspace', 'run.sh')).mode & 0o111, 0o111);
});

test('native round trip is lossless: load(save(load(x))) keeps task.yaml text, spec and files', async () => {
  const src = await loadOneTask(join(FX, 'native', 'export-demo'));
  const a = join(tempDir('clawgym-rt-'), 'a');
  await saveNativeTask(src, a);
  const once = await loadOneTask(a);
  const b = join(tempDir('clawgym-rt-'), 'b');
  await saveNativeTask(once, b);
  const twice = await loadOneTask(b);
  assert.equal(readFileSync(join(b, 'task.yaml'), 'utf8'), readFileSync(join(a, 'task.yaml'), 'utf8'));
  assert.deepEqual(twice.spec, src.spec);
  assert.deepEqual(await snapshot(twice.workspace), await snapshot(src.workspace));
  assert.deepEqual(await snapshot([twice.solution]), await snapshot([src.solution]));
  // The instruction (indented line, trailing space) reads back exactly, as a block scalar.
  assert.match(readFileSync(join(a, 'task.yaml'), 'utf8'), /^instruction: \|/m);
  assert.ok(src.spec.instruction.includes('here: ) \n'));
});

test('saving onto the task folder itself keeps its files; stale entries are replaced', async () => {
  const dir = join(tempDir('clawgym-inplace-'), 'export-demo');
  await saveNativeTask(await loadOneTask(join(FX, 'native', 'export-demo')), dir);
  writeFileSync(join(dir, 'workspace', 'stale.txt'), 'left over\n');
  const t = await loadOneTask(dir);
  const before = await snapshot(t.workspace);
  await saveNativeTask(t, dir);
  assert.deepEqual(await snapshot((await loadOneTask(dir)).workspace), before);
  const other = await loadOneTask(join(FX, 'syndata', 'rows.jsonl')).catch(() => undefined);
  assert.equal(other, undefined, 'a jsonl with two rows is not one task');
  const [row] = (await loadTasks([join(FX, 'syndata', 'rows.jsonl')])).tasks;
  await saveNativeTask(row!, dir);
  const replaced = await loadOneTask(dir);
  assert.equal(replaced.spec.id, 'rows-00001');
  assert.deepEqual(Object.keys(await snapshot(replaced.workspace)), ['data/numbers.txt'], 'no stale workspace files');
  assert.equal(replaced.solution, undefined, 'no stale solution folder');
});

test('task.yaml: schema key order, block instruction, no undefined', () => {
  const spec = {
    id: 'x',
    title: 'T',
    instruction: 'One line.',
    operations: [],
    timeout_sec: 600,
    mount: '/w',
    verify: { checks: [{ weight: 1, type: 'file_exists' as const, path: 'a', id: 'c', description: undefined }], weights: { code: 0.7, rubric: 0.3 }, pass: 1, tests_mount: '/tests', rubric: undefined },
    metadata: { b: 1, a: undefined },
  };
  const text = taskYaml(spec);
  assert.equal(
    text,
    'id: x\ntitle: T\ninstruction: |-\n  One line.\noperations: []\ntimeout_sec: 600\nmount: /w\nverify:\n  checks:\n    - id: c\n      type: file_exists\n      weight: 1\n      path: a\n  weights:\n    code: 0.7\n    rubric: 0.3\n  pass: 1\n  tests_mount: /tests\nmetadata:\n  b: 1\n',
  );
});

test('fileset: unsafe entry paths are refused; symlinks leaving the set are skipped with a warning', async () => {
  assert.throws(() => safeRelPath('/etc/passwd'), /must be relative/);
  assert.throws(() => safeRelPath('a/../../b'), /must not contain "\.\."/);
  assert.equal(safeRelPath('./a//b'), 'a/b');
  const dest = tempDir('clawgym-fs-');
  await assert.rejects(copyFileSet({ kind: 'files', files: [{ path: '../x', content: 'x' }] }, dest), /must not contain/);

  const root = tempDir('clawgym-fs-');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'real.txt'), 'inside\n');
  symlinkSync('sub/real.txt', join(root, 'inner-link'));
  const outside = join(tempDir('clawgym-outside-'), 'secret.txt');
  writeFileSync(outside, 'host secret\n');
  symlinkSync(outside, join(root, 'outer-link'));
  symlinkSync('..', join(root, 'sub', 'up'));
  const warnings: string[] = [];
  const files = await listFileSet({ kind: 'dir', root }, warnings);
  assert.deepEqual(files.map((f) => f.path), ['inner-link', 'sub/real.txt']);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings.join('\n'), /outer-link: symlink to a path outside/);
  const copied = await copyFileSet({ kind: 'dir', root }, join(dest, 'copy'));
  assert.equal(copied.files, 2);
  assert.equal(readFileSync(join(dest, 'copy', 'inner-link'), 'utf8'), 'inside\n');
  assert.equal(lstatSync(join(dest, 'copy', 'inner-link')).isSymbolicLink(), false);
});

test('saving reports skipped symlinks as task warnings', async () => {
  const t: Task = {
    spec: (await loadOneTask(join(FX, 'native', 'export-demo'))).spec,
    format: 'native',
    source: 'mem',
    workspace: [{ kind: 'dir', root: tempDir('clawgym-ws-') }],
    warnings: [],
  };
  const root = (t.workspace[0] as { root: string }).root;
  writeFileSync(join(root, 'a.txt'), 'a');
  const outside = join(tempDir('clawgym-outside-'), 'passwd');
  writeFileSync(outside, 'root:x:0:0\n');
  symlinkSync(outside, join(root, 'passwd'));
  await saveNativeTask(t, join(tempDir('clawgym-save-'), 'x'));
  assert.equal(t.warnings.length, 1);
  assert.match(t.warnings[0]!, /^workspace: passwd: symlink to a path outside/);
});

test('strings a YAML 1.1 reader would take for dates or booleans are written quoted and read back as strings', async () => {
  const { parseTaskYaml } = await import('../../src/core/task/native.js');
  const text = readFileSync(join(ROOT, 'examples', 'tasks', 'notes-todo-rollup', 'task.yaml'), 'utf8');
  const { spec } = parseTaskYaml(text, 'task.yaml');
  const probe = { ...spec, tags: ['2021-02-01', 'yes', 'off', '2021-02-01T10:00:00Z', 'plain', '2021-02-01 notes'] };
  const out = taskYaml(probe);
  for (const t of ['2021-02-01', 'yes', 'off', '2021-02-01T10:00:00Z']) assert.ok(out.includes(`"${t}"`), `${t} is quoted:\n${out}`);
  assert.match(out, /- plain\n/);
  assert.match(out, /- 2021-02-01 notes\n/);
  assert.deepEqual(parseTaskYaml(out, 'task.yaml').spec, probe);
});
