/**
 * The task.yaml language server's features as plain functions: a document and an in-memory file
 * system in, LSP results out (no server, no editor).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Diagnostic, TextEdit } from 'vscode-languageserver/node.js';
import type { z } from 'zod';
import { CHECK_TYPES, TaskSpec } from '../../src/core/task/schema.ts';
import { diagnose, mentions, parseTaskDocument } from '../../src/language-server/analysis.ts';
import { complete } from '../../src/language-server/completion.ts';
import type { FsView } from '../../src/language-server/fs-view.ts';
import { definition, hover } from '../../src/language-server/navigation.ts';
import { nearest } from '../../src/language-server/nearest.ts';
import { quickFixes } from '../../src/language-server/quick-fixes.ts';
import { CHECK_TYPE_INFO, fieldsOf, kindOf, unwrap } from '../../src/language-server/schema-info.ts';
import { ROOT } from '../helpers.ts';

const URI = 'file:///tasks/demo/task.yaml';

/** A file system of the given files (absolute paths); folders are implied. */
function memoryFs(files: string[]): FsView {
  const set = new Set(files);
  const under = (dir: string) => files.filter((f) => f.startsWith(dir.replace(/\/?$/, '/')));
  return {
    kind: (p) => (set.has(p) ? 'file' : under(p).length ? 'dir' : undefined),
    list(dir, limit) {
      const out = new Set<string>();
      for (const f of under(dir)) {
        const parts = f.slice(dir.replace(/\/?$/, '/').length).split('/');
        for (let i = 1; i < parts.length; i++) out.add(`${parts.slice(0, i).join('/')}/`);
        out.add(parts.join('/'));
      }
      // As nodeFs lists: breadth first, sorted within a depth.
      const depth = (p: string) => p.replace(/\/$/, '').split('/').length;
      return [...out].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b)).slice(0, limit);
    },
  };
}

const FS = memoryFs(['/tasks/demo/workspace/data/sales.csv', '/tasks/demo/workspace/data/costs.csv', '/tasks/demo/workspace/notes.txt', '/tasks/demo/tests/check.py']);

const doc = (text: string, uri = URI) => parseTaskDocument(TextDocument.create(uri, 'clawgym-task', 1, text));
const diagnostics = (text: string, uri = URI) => diagnose(doc(text, uri), FS);
/** Where a diagnostic is, as 1-based "line:col-line:col" of the text it covers. */
const at = (d: Diagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;
const covered = (text: string, d: Diagnostic) => TextDocument.create(URI, 'x', 1, text).getText(d.range);

const VALID = `id: demo
title: Demo
instruction: |
  Summarise data/sales.csv into report.md.
verify:
  checks:
    - id: report
      type: file_exists
      path: report.md
    - id: sales_kept
      type: file_unchanged
      path: data/sales.csv
      weight: 4
`;

test('a valid task has no diagnostics (check weights above 1 are relative, not out of range)', () => {
  assert.deepEqual(diagnostics(VALID), []);
});

test('a YAML syntax error is placed on the offending token', () => {
  const text = 'id: demo\ntitle: Demo\ninstruction: do\nverify:\n  checks:\n    - type: file_exists\n     path: x\n';
  const ds = diagnostics(text);
  assert.equal(ds.length, 1);
  assert.equal(ds[0]!.code, 'yaml-syntax');
  assert.equal(at(ds[0]!), '7:6-7:10');
  assert.equal(covered(text, ds[0]!), 'path');
  assert.match(ds[0]!.message, /YAML syntax error/);
  // A broken document gets no schema or semantic noise on top.
  const dup = diagnostics('id: a\nid: b\ntitle: t\ninstruction: i\n');
  assert.deepEqual(
    dup.map((d) => [d.code, at(d)]),
    [['duplicate-key', '2:1-2:3']],
  );
});

test('schema errors cover exactly the offending node', () => {
  const text = VALID.replace('path: report.md', 'path: ../report.md') + 'difficulty: 9\ncolour: red\n';
  const ds = diagnostics(text);
  const byCode = (c: string) => ds.filter((d) => d.code === c);
  const [path, difficulty] = byCode('schema').concat(byCode('out-of-range'));
  assert.equal(covered(text, path!), '../report.md');
  assert.match(path!.message, /verify\.checks\.0\.path: must be a relative path/);
  assert.equal(covered(text, difficulty!), '9');
  assert.equal(at(difficulty!), '14:13-14:14');
  const [unknown] = byCode('unknown-key');
  assert.equal(covered(text, unknown!), 'colour');
  assert.equal(unknown!.severity, 1);
  // A missing key: the first line of the mapping that lacks it, not the whole block.
  const missing = diagnostics(VALID.replace('      path: report.md\n', '')).find((d) => /required key is missing/.test(d.message))!;
  assert.equal(at(missing), '7:7-7:17');
  assert.match(missing.message, /verify\.checks\.0\.path/);
});

test('an unknown check type is an error on the type, with the near miss as a fix', () => {
  const text = VALID.replace('type: file_exists', 'type: file_exist');
  const [d] = diagnostics(text);
  assert.equal(d!.code, 'unknown-check-type');
  assert.equal(covered(text, d!), 'file_exist');
  assert.deepEqual(
    (d!.data as { fixes: { newText: string }[] }).fixes.map((f) => f.newText),
    ['file_exists'],
  );
});

test('keys zod would drop silently are warnings; a near miss gets a rename', () => {
  const text = VALID.replace('      path: report.md', '      path: report.md\n      wieght: 2') + '  weights:\n    code: 0.5\n    judge: 0.5\n';
  const ds = diagnostics(text);
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity, covered(text, d)]),
    [
      ['unknown-key', 2, 'wieght'],
      ['unknown-key', 2, 'judge'],
    ],
  );
  assert.match(ds[0]!.message, /unknown key "wieght" in a file_exists check: it is ignored/);
  assert.equal((ds[0]!.data as { fixes: { newText: string }[] }).fixes[0]!.newText, 'weight');
  assert.equal(ds[1]!.data, undefined); // "judge" spells nothing: no obvious fix
});

test('a checked path must be in workspace/ or named by the instruction', () => {
  const text = `id: demo
title: Demo
instruction: Write the totals to out/summary.json and list them in report.md.
verify:
  checks:
    - type: file_exists
      path: report.md
    - type: json_path
      path: out/totals.json
      query: $.total
    - type: text_contains
      path: notes.txt
      text: done
    - type: file_exists
      path: result.csv
    - type: file_absent
      path: tmp.log
    - type: file_unchanged
      path: report.md
    - type: csv
      path: data/sales.cvs
    - type: command
      run: cat nowhere.txt
  rubric:
    rules:
      - name: tone
        file_path: letter.md
        scores: {"0": bad, "1": good}
`;
  const ds = diagnostics(text);
  const warned = ds.map((d) => [covered(text, d), d.severity]);
  // report.md is named, out/totals.json is in a named folder, notes.txt exists; `command` has no path.
  assert.deepEqual(warned, [
    ['result.csv', 2],
    ['tmp.log', 2],
    ['report.md', 2],
    ['data/sales.cvs', 2],
    ['letter.md', 2],
  ]);
  assert.match(ds[0]!.message, /nothing tells the agent to create it/);
  assert.match(ds[1]!.message, /passes even if the agent does nothing/);
  assert.match(ds[2]!.message, /file_unchanged compares/); // named in the instruction, yet not in the starting workspace
  assert.equal((ds[3]!.data as { fixes: { newText: string }[] }).fixes[0]!.newText, 'data/sales.csv');
  assert.ok(ds.every((d) => d.code === 'path-not-in-workspace'));
  // ClawGym's layout: tests/ appear at a workspace-relative tests_mount after the agent ends.
  const reward = VALID + '    - type: file_exists\n      path: reward/check.py\n  tests_mount: reward\n';
  assert.deepEqual(diagnostics(reward), []);
  // An unsaved document has no workspace to look into.
  assert.deepEqual(diagnostics(text, 'untitled:Untitled-1'), []);
});

test('what counts as named by the instruction', () => {
  assert.ok(mentions('Write summary.csv.', 'out/summary.csv'));
  assert.ok(mentions('Put everything in the out folder', 'out/a.txt'));
  assert.ok(mentions('Save to /root/.openclaw/workspace/out/a.txt', 'out/a.txt'));
  assert.ok(!mentions('Write summary.csv.bak', 'summary.csv'));
  assert.ok(!mentions('Write the summary', 'summary.csv'));
  assert.ok(!mentions('Read layout.md', 'out.md'));
});

test('duplicate check ids are errors with a suffix fix that is itself free', () => {
  const text = VALID.replace('id: sales_kept', 'id: report') + '    - id: report_2\n      type: file_exists\n      path: notes.txt\n';
  const ds = diagnostics(text);
  assert.deepEqual(
    ds.map((d) => [d.code, at(d)]),
    [['duplicate-id', '10:11-10:17']],
  );
  assert.deepEqual((ds[0]!.data as { fixes: { title: string; newText: string }[] }).fixes, [
    { title: 'Rename to "report_3"', range: ds[0]!.range, newText: 'report_3' },
  ]);
});

test('weights out of range: code/rubric above 1 warn, schema bounds are errors; both clamp', () => {
  const text = VALID.replace('weight: 4', 'weight: -2') + '  weights:\n    code: 1.5\n    rubric: 0.3\n  pass: 1.2\n';
  const ds = diagnostics(text);
  assert.deepEqual(
    ds.map((d) => [covered(text, d), d.severity, (d.data as { fixes: { newText: string }[] }).fixes[0]!.newText]),
    [
      ['-2', 1, '0'],
      ['1.2', 1, '1'],
      ['1.5', 2, '1'],
    ],
  );
  assert.ok(ds.every((d) => d.code === 'out-of-range'));
});

test('quick fixes edit the document into one without the problem', () => {
  const text = `id: demo
title: Demo
catgory: docs
instruction: Write report.md.
verify:
  checks:
    - id: a
      type: file_exist
      path: report.md
    - id: a
      type: file_exists
      path: data/sales.cvs
  weights:
    code: 3
`;
  const td = doc(text);
  const ds = diagnose(td, FS);
  const actions = quickFixes(URI, ds);
  assert.deepEqual(actions.map((a) => a.title).sort(), ['Change to "data/sales.csv"', 'Change to "file_exists"', 'Clamp to 1', 'Rename to "a_2"', 'Rename to "category"']);
  assert.ok(actions.every((a) => a.kind === 'quickfix' && a.isPreferred && a.diagnostics?.length === 1));
  const edits = actions.flatMap((a) => a.edit!.changes![URI]!) as TextEdit[];
  const fixed = TextDocument.applyEdits(td.doc, edits);
  assert.deepEqual(diagnostics(fixed), []);
  assert.match(fixed, /category: docs[\s\S]*type: file_exists[\s\S]*id: a_2[\s\S]*path: data\/sales\.csv[\s\S]*code: 1\n/);
  // Data that did not come from this server is ignored, not trusted.
  assert.deepEqual(quickFixes(URI, [{ ...ds[0]!, data: { fixes: [{ title: 'x' }] } }]), []);
});

/** Complete at the `|` in `text`. */
function completeAt(text: string, fs = FS, trigger?: string, uri = URI): CompletionItem[] | null {
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  const td = doc(clean, uri);
  return complete(td, td.doc.positionAt(offset), fs, trigger);
}
const labels = (items: CompletionItem[] | null) => items?.map((i) => i.label) ?? null;

test('completion after `type: ` offers the check types, replacing what is typed', () => {
  const items = completeAt('id: x\nverify:\n  checks:\n    - id: a\n      type: |\n');
  assert.deepEqual(labels(items), CHECK_TYPES);
  assert.match((items![0]!.documentation as { value: string }).value, /file_exists\*\* check: The file \(or folder\) exists/);
  const partial = completeAt('verify:\n  checks:\n    - type: text_c|ontains\n');
  assert.deepEqual((partial![0]!.textEdit as TextEdit).range, { start: { line: 2, character: 12 }, end: { line: 2, character: 25 } });
  // Typing a space asks only after `key:`.
  assert.equal(completeAt('verify:\n  checks:\n    - type: file_exists\n      path: a b|\n', FS, ' '), null);
  assert.deepEqual(labels(completeAt('verify:\n  checks:\n    - type: |\n', FS, ' ')), CHECK_TYPES);
});

test('key completion depends on where the cursor is', () => {
  // Top level: the keys not there yet.
  const top = labels(completeAt('id: x\ntitle: y\n|\n'))!;
  assert.ok(top.includes('instruction') && top.includes('verify') && top.includes('difficulty'));
  assert.ok(!top.includes('id') && !top.includes('title') && !top.includes('path'));
  // Inside verify.
  assert.deepEqual(labels(completeAt('verify:\n  |\n')), ['checks', 'rubric', 'weights', 'pass', 'tests_mount']);
  // Inside a check, by its type (even when `type:` comes below the cursor); present keys left out.
  assert.deepEqual(labels(completeAt('verify:\n  checks:\n    - id: a\n      |\n      type: text_contains\n      path: a.txt\n')), ['weight', 'description', 'text', 'normalize']);
  assert.deepEqual(labels(completeAt('verify:\n  checks:\n  - type: csv\n    path: a.csv\n    ro|\n')), [
    'id',
    'weight',
    'description',
    'delimiter',
    'columns',
    'row_count',
    'cells',
    'sorted_by',
  ]);
  // A new list item: the keys every check has, `type` first.
  const item = completeAt('verify:\n  checks:\n    - type: file_exists\n      path: a\n    - |\n')!;
  assert.deepEqual(labels(item), ['id', 'weight', 'description', 'type']);
  assert.equal([...item].sort((a, b) => a.sortText!.localeCompare(b.sortText!))[0]!.label, 'type');
  assert.equal((item.find((i) => i.label === 'type')!.textEdit as TextEdit).newText, 'type: ');
  // Nested values are laid out with absolute indentation.
  assert.equal((completeAt('verify:\n  |\n')!.find((i) => i.label === 'checks')!.textEdit as TextEdit).newText, 'checks:\n    - ');
  // Deeper: a check's normalize block; a rubric rule.
  assert.deepEqual(labels(completeAt('verify:\n  checks:\n    - type: text_equals\n      normalize:\n        |\n')), ['case', 'whitespace', 'trailing_newline']);
  assert.deepEqual(labels(completeAt('verify:\n  rubric:\n    rules:\n      - name: tone\n        |\n')), ['file_path', 'scores']);
  // Nothing inside the instruction block scalar (markdown lists included).
  assert.equal(completeAt('instruction: |\n  Steps:\n  - one\n  |\nverify: {}\n'), null);
  assert.equal(completeAt('instruction: |\n  - one\n  - |\n'), null);
});

test('value completion: enums and booleans from the schema', () => {
  assert.deepEqual(labels(completeAt('verify:\n  checks:\n    - type: script\n      run: x\n      output: |\n')), ['auto', 'float', 'json']);
  assert.deepEqual(labels(completeAt('review:\n  status: |\n')), ['pending', 'accepted', 'rejected', 'needs_edit']);
  assert.deepEqual(labels(completeAt('verify:\n  checks:\n    - type: text_equals\n      normalize:\n        case: |\n')), ['true', 'false']);
  assert.equal(completeAt('title: |\n'), null);
});

test('path fields complete from the task workspace folder', () => {
  const all = completeAt('verify:\n  checks:\n    - type: csv\n      path: |\n')!;
  assert.deepEqual(labels(all), ['data/', 'notes.txt', 'data/costs.csv', 'data/sales.csv']);
  assert.equal(all.find((i) => i.label === 'data/')!.command?.command, 'editor.action.triggerSuggest');
  const sub = completeAt('verify:\n  checks:\n    - type: csv\n      path: "data/s|"\n')!;
  assert.deepEqual(labels(sub), ['data/costs.csv', 'data/sales.csv']);
  assert.deepEqual((sub[0]!.textEdit as TextEdit).range, { start: { line: 3, character: 13 }, end: { line: 3, character: 19 } });
  assert.deepEqual(labels(completeAt('verify:\n  rubric:\n    rules:\n      - name: x\n        file_path: |\n')), ['data/', 'notes.txt', 'data/costs.csv', 'data/sales.csv']);
  // Not for fields that are not workspace paths, never outside the workspace, not for unsaved files.
  assert.equal(completeAt('verify:\n  checks:\n    - type: command\n      run: |\n'), null);
  assert.equal(completeAt('verify:\n  checks:\n    - type: csv\n      path: ../|\n'), null);
  assert.equal(completeAt('verify:\n  checks:\n    - type: csv\n      path: |\n', FS, undefined, 'untitled:Untitled-1'), null);
});

test('hover shows the schema description of keys and check types', () => {
  const td = doc(VALID + 'timeout_sec: 60\n');
  const hoverAt = (line: number, character: number) => {
    const h = hover(td, { line, character });
    return h ? (h.contents as { value: string }).value : null;
  };
  assert.match(hoverAt(13, 3)!, /^\*\*timeout_sec\*\* — number > 0, default `600`\n\nThe agent's wall-clock limit in seconds/);
  assert.match(hoverAt(7, 14)!, /^\*\*file_exists\*\* check: The file \(or folder\) exists in the workspace\.[\s\S]*- `path` \(required\)/);
  assert.match(hoverAt(7, 7)!, /file_exists\*\* check/); // on the `type` key too
  assert.match(hoverAt(12, 7)!, /^\*\*weight\*\* — number ≥ 0, default `1`\n\nRelative weight of the check/);
  assert.match(hoverAt(4, 1)!, /^\*\*verify\*\* — mapping/);
  assert.match(hoverAt(3, 4)!, /^\*\*instruction\*\* — string\n\nWhat the user asks/); // on a value: its key's docs
  assert.deepEqual(hover(td, { line: 1, character: 2 })!.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
});

test('every key and every check type has a description to show', () => {
  const missing: string[] = [];
  const walk = (s: z.ZodType, where: string, depth: number) => {
    if (depth > 6) return;
    for (const f of fieldsOf(s)) {
      if (f.key === 'type' && where.includes('checks')) continue; // shown as the check type's own description
      if (!f.description) missing.push(`${where}${f.key}`);
      const inner = unwrap(f.schema).schema;
      const kind = kindOf(inner);
      if (kind === 'object') walk(inner, `${where}${f.key}.`, depth + 1);
      if (kind === 'array') {
        const el = (inner as unknown as { element: z.ZodType }).element;
        if (kindOf(el) === 'object') walk(el, `${where}${f.key}[].`, depth + 1);
        if (kindOf(el) === 'union') for (const c of CHECK_TYPE_INFO) walk(c.schema, `${where}${f.key}[${c.type}].`, depth + 1);
      }
    }
  };
  walk(TaskSpec, '', 0);
  assert.deepEqual(missing, []);
  assert.deepEqual(
    CHECK_TYPE_INFO.filter((c) => !c.description).map((c) => c.type),
    [],
  );
});

test('go to definition from a path to the workspace file', () => {
  const td = doc(VALID);
  const links = definition(td, { line: 11, character: 15 }, FS)!;
  assert.equal(links.length, 1);
  assert.equal(links[0]!.targetUri, 'file:///tasks/demo/workspace/data/sales.csv');
  assert.deepEqual(links[0]!.originSelectionRange, { start: { line: 11, character: 12 }, end: { line: 11, character: 26 } });
  assert.equal(definition(td, { line: 8, character: 14 }, FS), null); // report.md does not exist yet
  assert.equal(definition(td, { line: 11, character: 8 }, FS), null); // on the key
  assert.equal(definition(td, { line: 0, character: 5 }, FS), null); // not a path field
});

test('near misses: one edit for short words, two for longer ones, none when ambiguous', () => {
  assert.equal(nearest('paht', ['path', 'text']), 'path');
  assert.equal(nearest('pth', ['path']), 'path');
  assert.equal(nearest('colour', ['category', 'title']), undefined);
  assert.equal(nearest('abc', ['abd', 'abe']), undefined);
  assert.equal(nearest('text_contain', CHECK_TYPES), 'text_contains');
});

test('the grammar highlights exactly the check types of the schema', () => {
  const grammar = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'clawgym-task.tmLanguage.json'), 'utf8'));
  const match = grammar.repository['check-type'].match as string;
  assert.deepEqual(/\(\["']\?\)\(([^)]*)\)/.exec(match)![1]!.split('|'), CHECK_TYPES);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.ok(pkg.activationEvents.includes('onLanguage:clawgym-task'));
  assert.deepEqual(pkg.contributes.grammars.find((g: { language?: string }) => g.language === 'clawgym-task').embeddedLanguages, { 'meta.embedded.block.markdown': 'markdown' });
});

// VS Code's own TextMate engine and YAML/markdown grammars, from the code-server that the e2e
// setup (scripts/e2e-setup.sh) installs outside the repository.
const VSCODE = join(process.env.HOME ?? '/root', '.cache', 'clawgym-e2e', 'node_modules', 'code-server', 'lib', 'vscode');
test('the grammar tokenizes the instruction as markdown and type values as check types', { skip: !existsSync(join(VSCODE, 'node_modules', 'vscode-textmate')) && 'needs code-server (bash scripts/e2e-setup.sh)' }, async () => {
  const req = createRequire(join(VSCODE, 'package.json'));
  const tm = req('vscode-textmate');
  const onig = req('vscode-oniguruma');
  await onig.loadWASM(readFileSync(join(VSCODE, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm')).buffer);
  const files: Record<string, string> = {
    'source.clawgym-task': join(ROOT, 'syntaxes', 'clawgym-task.tmLanguage.json'),
    'text.html.markdown': join(VSCODE, 'extensions', 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json'),
  };
  for (const v of ['', '-1.0', '-1.1', '-1.2', '-1.3', '-embedded']) {
    const f = join(VSCODE, 'extensions', 'yaml', 'syntaxes', `yaml${v}.tmLanguage.json`);
    files[JSON.parse(readFileSync(f, 'utf8')).scopeName] = f;
  }
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) => (files[scope] ? tm.parseRawGrammar(readFileSync(files[scope]!, 'utf8'), files[scope]) : null),
  });
  const grammar = await registry.loadGrammar('source.clawgym-task');
  const lines = ['id: demo', 'instruction: |', '  # Goal', '  Write **report.md**.', '  ```', 'verify:', '  checks:', '    - type: file_exists', '      path: report.md', '    - type: nope'];
  let state = tm.INITIAL;
  const scopes = new Map<string, string[]>();
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    for (const t of r.tokens as { startIndex: number; endIndex: number; scopes: string[] }[]) scopes.set(`${line}@${line.slice(t.startIndex, t.endIndex)}`, t.scopes);
  }
  const has = (key: string, scope: string) => assert.ok(scopes.get(key)?.some((s) => s.startsWith(scope)), `${key}: ${scopes.get(key)?.join(' ')}`);
  has('  # Goal@Goal', 'entity.name.section.markdown');
  has('  Write **report.md**.@report.md', 'markup.bold.markdown');
  // An unclosed fence does not swallow the rest: the block ends at the first unindented line.
  has('verify:@verify', 'entity.name.tag.yaml');
  has('    - type: file_exists@file_exists', 'support.constant.check-type.clawgym');
  assert.ok(!scopes.get('    - type: nope@nope')?.some((s) => s.startsWith('support.constant.check-type')));
  has('      path: report.md@path', 'entity.name.tag.yaml');
});
