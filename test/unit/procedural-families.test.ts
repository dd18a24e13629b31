/**
 * What every family's instructions must get right, over seeds and all five difficulties (in
 * process, no sandbox): the persona is someone who would send the task (the family's domains);
 * a greeting that ends mid-sentence continues in lower case; every file the instruction names is
 * in the workspace or is an output the checks look at.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundledPersonas, personaDomains } from '../../src/core/synth/personas.ts';
import { FAMILIES } from '../../src/core/synth/procedural/families/index.ts';
import { WIDE_FIRST_NAMES } from '../../src/core/synth/procedural/families/names.ts';
import { familyDomains, type Difficulty } from '../../src/core/synth/procedural/family.ts';
import { proceduralTask } from '../../src/core/synth/procedural/generate.ts';

const personas = bundledPersonas();
const SEEDS = [1, 2, 3, 4, 5, 6];
const LEVELS: Difficulty[] = [1, 2, 3, 4, 5];

/** Backticked tokens that name a file or folder: a path with a "/", or a name with an extension. */
const EXTENSIONS = 'csv tsv json jsonl md txt yaml yml toml ini conf cfg env log ics eml html xml py sh js ts mjs cjs lock service timer crontab sql po properties tf'.split(' ');

export function namedPaths(instruction: string): string[] {
  const out = new Set<string>();
  for (const m of instruction.matchAll(/`([^`\n]+)`/g)) {
    const t = m[1]!.trim();
    const before = instruction.slice(Math.max(0, m.index - 12), m.index);
    const after = instruction.slice(m.index + m[0].length, m.index + m[0].length + 3);
    // Examples of a shape (e.g. `pkg/x.py`, `a/b` → `a`, `NNNN-title.md`) name no file.
    const next = instruction.slice(m.index + m[0].length, m.index + m[0].length + 7);
    if (/(e\.g\.|like|such as)\s*$/.test(before) || /→\s*$/.test(before) || /^\s*→/.test(after) || /^ means /.test(next) || /[A-Z]{3,}/.test(t) || t.startsWith('.')) continue;
    if (/\s/.test(t) || /[*?{}$@=<>|]/.test(t) || /^[a-z][a-z0-9+.-]*:/i.test(t)) continue;
    const ext = /\.([A-Za-z0-9]+)$/.exec(t)?.[1]?.toLowerCase();
    // Every segment has a letter (not `1/2`, `kube-probe/1.29`); a file has a known extension (not `acme.com`, `pkg.func`).
    const isPath = t.includes('/')
      ? /^(\.\/)?[\w.-]+(\/[\w.-]+)*\/?$/.test(t) && t.split('/').every((seg) => !seg || /[A-Za-z]/.test(seg)) && (t.endsWith('/') || !ext || EXTENSIONS.includes(ext) || !/\./.test(t.split('/').at(-1)!))
      : /^[\w.-]+$/.test(t) && !!ext && EXTENSIONS.includes(ext);
    if (isPath) out.add(t.replace(/^\.\//, ''));
  }
  return [...out];
}

test('every family: a fitting persona, a lower-case continuation after the greeting, and only files the task has or expects', () => {
  const problems: string[] = [];
  for (const f of FAMILIES) {
    const domains = familyDomains(f);
    assert.ok(personas.filter((p) => domains.some((d) => personaDomains(p).has(d))).length >= 5, `${f.id}: the bank has few personas of ${domains.join(', ')}`);
    for (const seed of SEEDS) {
      for (const level of LEVELS) {
        const t = proceduralTask(0, { seed, personas, families: [f], difficulties: [level] });
        const where = `${f.id} s${seed} d${level}`;
        const persona = personas.find((p) => p.id === t.spec.provenance!.persona)!;
        if (!domains.some((d) => personaDomains(persona).has(d))) problems.push(`${where}: persona ${persona.id} (${persona.role}) is not of ${domains.join(', ')}`);
        const greet = /^(?:Hey, it's \S+ —|Dear assistant,) ([A-Z][a-z]*)(.?)/.exec(t.spec.instruction);
        if (greet && !(greet[1] === 'I' && !/[a-z]/.test(greet[2]!)) && !WIDE_FIRST_NAMES.includes(greet[1]!) && !/[A-Z0-9]/.test(greet[2]!)) problems.push(`${where}: capital after the greeting: ${t.spec.instruction.split('\n')[0]}`);
        const files = Object.keys(t.workspace);
        const checked = t.spec.verify.checks.flatMap((c) => ('path' in c && typeof c.path === 'string' ? [c.path] : []));
        const contents = Object.values(t.workspace);
        // In the workspace or checked: the path itself, a folder of it, the path relative to a folder (`kb/` + `teams/a.md`), or named inside a workspace file.
        const has = (p: string) => {
          const bare = p.replace(/\/$/, '');
          return [...files, ...checked].some((x) => x === bare || x.startsWith(`${bare}/`) || x.endsWith(`/${bare}`) || x.includes(`/${bare}/`)) || contents.some((c) => c.includes(bare));
        };
        for (const p of namedPaths(t.spec.instruction)) if (!has(p)) problems.push(`${where}: the instruction names \`${p}\`, which is neither in the workspace nor checked`);
      }
    }
  }
  assert.deepEqual([...new Set(problems.map((p) => p.replace(/ s\d+ d\d+:/, ':')))].slice(0, 60), [], `${problems.length} problem(s)`);
});

test('namedPaths picks file names and paths, not code or prose', () => {
  assert.deepEqual(namedPaths('Read `data/a.csv` and `notes/`, write `out.json`; not `ACTION:`, `$.totals`, `a b`, `x == 1`, `v1.2.3`, `https://x.io/a`, `acme.com`, `1/2`, `kube-probe/1.29`, `pkg.func`, e.g. `pkg/x.py`, `NNNN-title.md`, `.csv`, `foo/bar` means `foo`'), ['data/a.csv', 'notes/', 'out.json']);
});
