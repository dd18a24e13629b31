import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTaskYaml } from '../../src/core/task/native.js';
import { reviewFileOf, StaleFileError, writeReview } from '../../src/core/task/review.js';
import { TaskLoadError } from '../../src/core/errors.js';
import { tempDir } from '../helpers.js';

const TEXT = `# authored by hand: keep this comment
id: demo
title: Demo task
category: Productivity & Collaboration
instruction: |
  Write out.txt.
    (indented line kept)
verify:
  checks:
    - type: file_exists # inline comment
      path: out.txt
`;

test('the review block is written and nothing else changes', async () => {
  const f = join(tempDir(), 'task.yaml');
  writeFileSync(f, TEXT);
  const spec = await writeReview(f, { status: 'accepted', notes: '  solid task ', reviewer: 'ana' }, { now: new Date('2026-11-24T10:00:00Z') });
  assert.deepEqual(spec.review, { status: 'accepted', notes: 'solid task', reviewer: 'ana', updated: '2026-11-24T10:00:00.000Z' });
  const out = readFileSync(f, 'utf8');
  assert.ok(out.startsWith(TEXT), 'the author text is kept byte for byte before the new block');
  assert.match(out, /review:\n {2}status: accepted\n {2}notes: solid task\n/);
  // A second review replaces the block in place.
  await writeReview(f, { status: 'rejected', notes: 'leaks the answer' }, { now: new Date('2026-11-24T11:00:00Z') });
  const again = readFileSync(f, 'utf8');
  assert.equal(again.match(/review:/g)?.length, 1);
  assert.deepEqual(parseTaskYaml(again, f).spec.review, { status: 'rejected', notes: 'leaks the answer', updated: '2026-11-24T11:00:00.000Z' });
  assert.deepEqual(readdirSync(join(f, '..')), ['task.yaml'], 'no temporary file is left behind');
});

test('a file changed on disk since it was read is not overwritten', async () => {
  const f = join(tempDir(), 'task.yaml');
  writeFileSync(f, TEXT);
  const seen = readFileSync(f, 'utf8');
  writeFileSync(f, TEXT.replace('Write out.txt.', 'Write result.txt.'));
  await assert.rejects(writeReview(f, { status: 'accepted' }, { expectedText: seen }), StaleFileError);
  assert.match(readFileSync(f, 'utf8'), /result\.txt/);
  assert.doesNotMatch(readFileSync(f, 'utf8'), /review:/);
});

test('an invalid task.yaml is reported with its position and left alone', async () => {
  const f = join(tempDir(), 'task.yaml');
  const bad = 'id: demo\ntitle: Demo\ninstruction: x\nverify:\n  checks:\n    - type: no_such_check\n';
  writeFileSync(f, bad);
  await assert.rejects(writeReview(f, { status: 'accepted' }), (e: unknown) => e instanceof TaskLoadError && /task\.yaml:6:/.test(e.message));
  assert.equal(readFileSync(f, 'utf8'), bad);
});

test('only native tasks have a task.yaml to review', () => {
  assert.equal(reviewFileOf({ format: 'native', source: '/t/demo' }), '/t/demo/task.yaml');
  assert.equal(reviewFileOf({ format: 'clawgym', source: '/t/task_0001' }), undefined);
});

test('only the review block changes: flow style, quoting and comments elsewhere are kept byte for byte', async () => {
  const head = `id: demo\ntitle: 'Demo task'\ntags: [a, "b c"]   # flow, kept as written\ninstruction: "Write out.txt."\n`;
  const tail = `# the checks\nverify:\n  checks:\n    - {type: file_exists, path: out.txt}\n    - type: text_contains\n      path: out.txt\n      text: ["x", 'y']\n`;
  const cases: Array<[string, string]> = [
    ['a block in the middle', `${head}review:\n  status: pending   # set by the generator\n  notes: first look\n${tail}`],
    ['a flow mapping in the middle', `${head}review: {status: pending} # inline\n${tail}`],
    ['no review block', `${head}${tail}`],
    ['a block last, without a final newline', `${head}${tail}review:\n  status: pending`],
  ];
  for (const [what, text] of cases) {
    const f = join(tempDir(), 'task.yaml');
    writeFileSync(f, text);
    await writeReview(f, { status: 'accepted', notes: 'keeps "quotes" & <b>tags</b>: yes' }, { expectedText: text, now: new Date('2026-11-24T10:00:00Z') });
    const out = readFileSync(f, 'utf8');
    // The timestamp is quoted: a YAML 1.1 reader (PyYAML) would read it plain as a datetime.
    const block = `review:\n  status: accepted\n  notes: 'keeps "quotes" & <b>tags</b>: yes'\n  updated: "2026-11-24T10:00:00.000Z"\n`;
    const strip = (t: string) => t.replace(/^review:.*\n?(?:[ \t]+.*\n?)*/m, '');
    assert.equal(strip(out), strip(text).replace(/\n?$/, '\n').replace(/^\n$/, ''), `${what}: the rest of the file is unchanged`);
    assert.ok(out.includes(block), `${what}: the new block is there:\n${out}`);
    assert.equal(out.match(/^review:/gm)?.length, 1, `${what}: one review block`);
    assert.deepEqual(parseTaskYaml(out, f).spec.review, { status: 'accepted', notes: 'keeps "quotes" & <b>tags</b>: yes', updated: '2026-11-24T10:00:00.000Z' });
    if (text.includes('review:')) assert.equal(out.indexOf('review:'), text.indexOf('review:'), `${what}: replaced in place`);
  }
});
