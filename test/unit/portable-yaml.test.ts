/**
 * YAML that means one thing: task.yaml (and every other YAML ClawGym writes) read by PyYAML — a
 * YAML 1.1 reader, Debian's python3-yaml — gives exactly what ClawGym's own loader gives, for an
 * adversarial table of every YAML 1.1 special form (yaml.org/type: bool, int, float, null,
 * timestamp, merge, value), as values and as keys, for numbers, and for a seeded corpus of
 * generated scalars. The plain `yaml` package output is shown to fail the same comparison.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { manifestYaml, type BenchManifest } from '../../src/core/bench/manifest.js';
import { parseTaskYaml } from '../../src/core/task/native.js';
import { isAmbiguousPlain, portableNumber, portableYaml } from '../../src/core/task/portable-yaml.js';
import { writeReview } from '../../src/core/task/review.js';
import { saveNativeTask, taskYaml } from '../../src/core/task/save.js';
import { TaskSpec } from '../../src/core/task/schema.js';
import { Rng } from '../../src/core/rng.js';
import { clawgymReading, differences, hasPyYaml, pyyamlPlainTags, pyyamlRead } from '../pyyaml.js';
import { tempDir } from '../helpers.js';

const skip = !hasPyYaml() && 'needs Debian python3-yaml (/usr/bin/python3; scripts/setup.sh installs it)';

/** Every special form of YAML 1.1's type repository, and the neighbours that must stay strings. */
const TABLE: string[] = [
  // sexagesimal int and float (base 60)
  '11:00', '1:30:00', '190:20:30', '-1:30', '+1:30', '1_0:30', '190:20:30.15', '1:30.', '09:30', '0:30', '1:60', '12:5',
  // bool, in every YAML 1.1 case form, and look-alikes
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', 'yEs', 'oN', 'tRUE',
  // null
  '~', 'null', 'Null', 'NULL', '', 'nULL',
  // int: octal, binary, hex, underscores, signs
  '0755', '0o17', '0O17', '0b1010', '-0b1', '0x1F', '-0x1f', '+0x_1F', '0x', '1_000', '+1', '-1', '007', '08', '09', '0', '-0', '+0', '1__0',
  // float
  '1e3', '1E3', '1e+3', '1.5e-3', '.5', '-.5', '+.5', '1.', '1.0', '+1.0', '1_000.5', '1.2.3', '.', '._', '1.e+5', '6.8523015e+5',
  '.inf', '.Inf', '.INF', '-.inf', '+.inf', '.nan', '.NaN', '.NAN', 'inf', 'nan', 'NaN', 'Infinity',
  // timestamp
  '2024-01-31', '2024-1-5', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-15 2:59:43.10', '2002-12-14',
  '2024-01-31T10:00:00Z', '2024-01-31 10:00:00.', '2024-01-31 10:00:00 +35', '2024-01-31T10:00:00+05:30', '2024-01-31T10:00:00 Z', '2024-13-45',
  // merge and value keys
  '<<', '=', '<<<', '==',
  // indicators, document markers, quoting and whitespace
  '!', '&a', '*a', '|', '>', '? x', '- x', '-', ':x', 'x:', '#c', 'a #b', 'a: b', '---', '...', '--- x', '%YAML 1.1', '@x', '`x',
  ' lead', 'trail ', 'a\tb', '\ttab', 'tab\t', '"', "'", '\\', '{a: 1}', '[1, 2]', 'null ', ' ~', 'a,b', 'x # y',
  // characters a YAML 1.1 reader cannot take raw, line breaks, non-ASCII
  'a\x85b', 'a\u2028b', 'a\u2029b', 'x\ufffe', 'x\uffff', 'a\x7fb', '\x80', '\x9f', '\ufeffbom', 'a\rb', 'a\r\nb', 'a\nb',
  'multi\n\nline\n', '  indented\nblock', 'tabbed\n\tline', 'é', '😀', '\x00', '\x1b[31m', 'x'.repeat(1500),
];

const NUMBERS: number[] = [
  0, -0, 1, -1, 0.5, 1e21, 1e-7, -1.5e-9, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 2 ** 53 + 2, 12345678901234567000,
  0.1 + 0.2, 1 / 3, 123456.789e10, 1e300, -2.5e-300, NaN, Infinity, -Infinity,
];

/** A seeded corpus of scalars built from the pieces YAML 1.1's resolvers look at. */
function corpus(seed: number): string[] {
  const rng = new Rng(seed);
  const digits = (min: number, max: number, set = '0123456789') => Array.from({ length: rng.int(min, max) }, () => rng.pick([...set])).join('');
  const maybe = (p: number, s: () => string) => (rng.chance(p) ? s() : '');
  const out = new Set<string>();
  for (let i = 0; i < 800; i++) {
    out.add(`${maybe(0.3, () => rng.pick(['-', '+']))}${digits(1, 3, '0123456789_')}${Array.from({ length: rng.int(1, 3) }, () => `:${digits(1, 2)}`).join('')}${maybe(0.3, () => `.${digits(0, 3)}`)}`);
    const time = `${rng.pick(['T', 't', ' ', '  ', '\t'])}${digits(1, 2)}:${digits(1, 2)}:${digits(1, 2)}${maybe(0.5, () => `.${digits(0, 3)}`)}`;
    const zone = maybe(0.6, () => `${rng.pick(['', ' ', '\t'])}${rng.pick(['Z', '+5', '-05', '+05:30', '+35', '-5:3', '+123'])}`);
    out.add(`${digits(4, 4)}-${digits(1, 2)}-${digits(1, 2)}${maybe(0.7, () => time + zone)}`);
    const radix = rng.pick(['0b', '0x', '0o', '0', '', '', '.']);
    const body = digits(1, 5, radix === '0x' ? '0123456789abcdefABCDEF_' : radix === '0b' ? '01_' : '0123456789_');
    out.add(`${maybe(0.3, () => rng.pick(['-', '+']))}${radix}${body}${maybe(0.3, () => `.${digits(0, 3)}`)}${maybe(0.3, () => `${rng.pick(['e', 'E'])}${rng.pick(['', '+', '-'])}${digits(1, 3)}`)}`);
  }
  for (const w of ['yes', 'no', 'on', 'off', 'true', 'false', 'null', 'y', 'n', '.inf', '.nan', '-.inf']) {
    for (let m = 0; m < 1 << w.length; m++) out.add([...w].map((c, k) => ((m >> k) & 1 ? c.toUpperCase() : c)).join(''));
  }
  const pieces = ['0', '1', '7', '9', '12', '60', '2024', '-', '+', '.', '_', ':', ' ', '\t', 'e', 'E', 'x', 'o', 'b', 'T', 'Z', 'inf', 'nan', 'y', 'n', 'yes', 'On', 'null', '~', '<<', '=', '#', "'", '"', ',', '[', '}', '&', '*', '!', '|', '>', '%', '@', '`', '?', '\n', '\x85', '\u2028', '\ufeff', '\ufffe', '\x7f', '\x01', 'é', 'a'];
  for (let i = 0; i < 3500; i++) out.add(Array.from({ length: rng.int(1, 6) }, () => rng.pick(pieces)).join(''));
  return [...out];
}

function randomNumbers(seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: 500 }, () => {
    const x = (rng.next() - 0.5) * 10 ** rng.int(-320, 308);
    return rng.chance(0.3) ? Math.round(x) : x;
  });
}

/** A task whose strings, keys and numbers are all `strings` / `numbers`. */
function adversarialSpec(strings: readonly string[], numbers: readonly number[]): TaskSpec {
  return TaskSpec.parse({
    id: 'yaml-adversary',
    title: '11:00',
    instruction: 'Meet at 11:00; answer yes or no.\n  indented line\n\ttabbed line\n# not a comment\n--- not a marker\n',
    category: 'on',
    operations: ['0755', 'no', '2024-01-31'],
    tags: ['~', 'null', '<<', '='],
    provenance: { route: 'procedural', generator: '1.2.3', persona: 'Off', seed: 7 },
    review: { status: 'accepted', notes: '1:30:00', reviewer: 'No', updated: '2026-11-24T22:22:48.123Z' },
    verify: {
      checks: [
        { id: 'time', type: 'json_path', path: 'out.json', query: '$.start', equals: '11:00' },
        { id: 'texts', type: 'text_contains', path: 'notes.md', text: ['yes', '0o17', '.inf'] },
      ],
    },
    metadata: {
      values: strings,
      keys: Object.fromEntries(strings.map((s, i) => [s, i])),
      numbers,
      nested: { '11:00': { yes: [1e-7, '1e3'] } },
    },
  });
}

test('task.yaml: every YAML 1.1 special form, as value and as key, reads the same in PyYAML and ClawGym', { skip }, async () => {
  const spec = adversarialSpec(TABLE, NUMBERS);
  const text = taskYaml(spec);
  assert.deepStrictEqual(parseTaskYaml(text, 'task.yaml').spec, spec, 'ClawGym reads back the spec it wrote');
  for (const loader of ['SafeLoader', 'CSafeLoader'] as const) {
    const [py] = await pyyamlRead([{ text }], loader);
    assert.deepEqual(differences(py!, clawgymReading(text)), [], `${loader}:\n${text.slice(0, 3000)}`);
  }
  // What saveNativeTask writes is that same text.
  const dir = join(tempDir(), 'yaml-adversary');
  await saveNativeTask({ spec, format: 'native', source: dir, workspace: [], warnings: [] }, dir);
  assert.equal(readFileSync(join(dir, 'task.yaml'), 'utf8'), text);
});

test('task.yaml: a seeded corpus of 5,000+ generated scalars and 500 numbers reads the same in PyYAML and ClawGym', { skip }, async () => {
  const strings = corpus(13);
  assert.ok(strings.length > 5000, String(strings.length));
  const spec = adversarialSpec(strings, randomNumbers(13));
  const text = taskYaml(spec);
  assert.deepStrictEqual(parseTaskYaml(text, 'task.yaml').spec, spec);
  const [py] = await pyyamlRead([{ text }]);
  assert.deepEqual(differences(py!, clawgymReading(text)), []);
});

test("every string PyYAML's resolver would take for a non-string is one the writer quotes", { skip }, async () => {
  const strings = [...TABLE, ...corpus(14)].filter((s) => !/[\n\r\t\x85\u2028\u2029]/.test(s));
  const tags = await pyyamlPlainTags(strings);
  const missed = strings.filter((s, i) => tags[i] !== 'tag:yaml.org,2002:str' && !isAmbiguousPlain(s));
  assert.deepEqual(missed, []);
  // And the forms this test is about do resolve to something else in PyYAML: the table is not toothless.
  const resolved = new Set(strings.filter((_, i) => tags[i] !== 'tag:yaml.org,2002:str'));
  for (const s of ['11:00', '1:30:00', '190:20:30', 'yes', 'off', '~', '0755', '.inf', '.nan', '2024-01-31', '<<', '=', '1_000', '0x1F', '+1', '.5']) {
    assert.ok(resolved.has(s), `PyYAML resolves ${s} to a non-string`);
  }
});

test('the plain yaml package output is read differently by PyYAML (what the writer fixes)', { skip }, async () => {
  const value = { values: TABLE.filter((s) => !/[\x85\u2028\u2029\ufffe\uffff\x7f-\x9f\t]/.test(s)), numbers: NUMBERS };
  const naive = stringify(value, { lineWidth: 0 });
  const [py] = await pyyamlRead([{ text: naive }]);
  const diffs = differences(py!, clawgymReading(naive), 1000);
  for (const s of ['11:00', 'yes', 'on', 'y', '2024-01-31', '0755', '=']) {
    assert.ok(diffs.some((d) => d.includes(`ClawGym ${JSON.stringify(s)}`)) || diffs.some((d) => d.startsWith('PyYAML cannot')), `${s} differs without the fix`);
  }
  const [fixed] = await pyyamlRead([{ text: portableYaml(value) }]);
  assert.deepEqual(differences(fixed!, value), []);
});

test('numbers are written in forms YAML 1.1 and 1.2 read as the same number', () => {
  assert.deepEqual([1e21, 1e-7, -1.5e-9, 5e-324, -0, 0.5, 42, NaN, Infinity, -Infinity].map(portableNumber), ['1.0e+21', '1.0e-7', '-1.5e-9', '5.0e-324', '-0.0', '0.5', '42', '.nan', '.inf', '-.inf']);
});

test('the review block (spliced or re-serialized) and bench.yaml are written the same portable way', { skip }, async () => {
  const dir = tempDir();
  const spec = TaskSpec.parse({ id: 't', title: 'T', instruction: 'Do it.' });
  const file = join(dir, 'task.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, taskYaml(spec));
  await writeReview(file, { status: 'accepted', notes: '11:00', reviewer: 'No' }, { now: new Date('2026-01-31T10:00:00Z') });
  // A flow mapping cannot be spliced: the whole document is re-serialized.
  const flow = join(dir, 'flow.yaml');
  writeFileSync(flow, '{id: f, title: "yes", instruction: "Do it.", tags: ["11:00", "0755"], review: {status: pending}}\n');
  await writeReview(flow, { status: 'rejected', notes: 'on', reviewer: 'y' }, { now: new Date('2026-01-31T10:00:00Z') });
  const manifest = {
    schema_version: 1, name: 'on', version: '1.10', clawgym: '0.1.0',
    inputs: { from: ['2024-01-31'], size: null, seed: 1, quotas: { yes: 1, '*': 2 }, require: ['oracle-pass'], runs: [], difficulty_from: [], keep: 'native' },
    counts: { pool: 1, load_errors: 0, candidates: 1, tasks: 1, by_category: { off: 1 } },
    tasks: [{ id: '0755', path: '11:00', format: 'native', category: 'no', family: '~', difficulty: null, source: 'x', hash: `sha256:${'0'.repeat(64)}`, files: 1 }],
  } as BenchManifest;
  const texts = [readFileSync(file, 'utf8'), readFileSync(flow, 'utf8'), manifestYaml(manifest)];
  const py = await pyyamlRead(texts.map((text) => ({ text })));
  texts.forEach((t, i) => assert.deepEqual(differences(py[i]!, clawgymReading(t)), [], t));
  assert.equal((py[0] as { value: { review: { updated: unknown } } }).value.review.updated, '2026-01-31T10:00:00.000Z');
});
