/**
 * Diagnostics for task.yaml, without a server: text and a file-system view in, LSP diagnostics out.
 * Errors are exactly what `clawgym` itself reports when it loads the task (the core loader's YAML
 * and zod problems, with its positions); on top come warnings only an editor needs — keys zod drops
 * silently, paths the agent cannot know about, weights outside [0,1] — and quick-fix data where the
 * fix is obvious.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { z } from 'zod';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node.js';
import type { TaskProblem } from '../core/errors.js';
import { checkTaskYaml } from '../core/task/native.js';
import type { PositionedDoc } from '../core/task/positions.js';
import { CHECK_TYPES, TaskSpec } from '../core/task/schema.js';
import { DiagnosticCode, type DiagnosticData, type QuickFix } from '../protocol/task-language.js';
import type { FsView } from './fs-view.js';
import { nearest } from './nearest.js';
import { boundsOf, childSchema, fieldsOf, isCheckPath, isUnresolvedUnion, kindOf, objectMode, PATH_CHECK_TYPES, resolveVariant, schemaAt } from './schema-info.js';
import { keyOf, nodeIn, stringAt, type Path } from './yaml-ast.js';

/** One parse of a document, shared by diagnostics, completion, hover and definition. */
export interface TaskDocument {
  doc: TextDocument;
  pd: PositionedDoc;
  problems: TaskProblem[];
  /** The folder holding task.yaml (undefined for an unsaved document): `workspace/` is beside it. */
  taskDir?: string;
  /** The YAML parsed cleanly (the tree is whole, so semantic checks are meaningful). */
  syntaxOk: boolean;
}

export function parseTaskDocument(doc: TextDocument): TaskDocument {
  const { doc: pd, problems } = checkTaskYaml(doc.getText(), doc.uri);
  const syntaxOk = !problems.some((p) => p.code === 'yaml_syntax' || p.code === 'duplicate_key');
  return { doc, pd, problems, taskDir: taskDirOf(doc.uri), syntaxOk };
}

export function taskDirOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? dirname(fileURLToPath(uri)) : undefined;
}

/** A check's `type`, for the schema walk: a check's keys depend on it. */
export function discriminatorIn(td: TaskDocument): (prefix: readonly (string | number)[]) => unknown {
  return (prefix) => td.pd.doc.getIn([...prefix, 'type']);
}

export function diagnose(td: TaskDocument, fs: FsView): Diagnostic[] {
  const out = td.problems.map((p) => fromProblem(td, p));
  if (!td.syntaxOk) return out;
  return [...out, ...ignoredKeys(td), ...pathWarnings(td, fs), ...weightWarnings(td)];
}

/** The source range of a node, cut at the end of its first line: a whole block underlined helps nobody. */
export function rangeOf(td: TaskDocument, span: readonly [number, number] | undefined): Range {
  const text = td.doc.getText();
  const [a, b0] = span ?? [0, 0];
  let b = b0;
  const eol = text.indexOf('\n', a);
  if (eol >= 0 && eol < b) b = eol;
  while (b > a && /\s/.test(text[b - 1]!)) b--;
  if (b <= a) b = Math.min(a + 1, text.length);
  return { start: td.doc.positionAt(a), end: td.doc.positionAt(b) };
}

/**
 * The parser places a YAML error on one character, often the indentation before the culprit: widen
 * it to the word that starts there (the second `id` of a duplicate key, the badly indented `path`).
 */
function tokenRange(td: TaskDocument, offset: number): Range {
  const text = td.doc.getText();
  let a = offset;
  while (a < text.length && (text[a] === ' ' || text[a] === '\t')) a++;
  const word = /^[^\s:]+/.exec(text.slice(a, a + 200))?.[0].length ?? 0;
  return rangeOf(td, [a, a + Math.max(word, 1)]);
}

const nodeRange = (td: TaskDocument, n: Node | null | undefined): Range => rangeOf(td, n?.range ? [n.range[0], n.range[1]] : undefined);

function diagnostic(range: Range, message: string, code: DiagnosticCode, severity: DiagnosticSeverity, fixes: QuickFix[] = []): Diagnostic {
  const d: Diagnostic = { range, message, code, severity, source: 'clawgym' };
  if (fixes.length) d.data = { fixes } satisfies DiagnosticData;
  return d;
}

/** A core problem (what the CLI would print) as an error, with a fix when one is obvious. */
function fromProblem(td: TaskDocument, p: TaskProblem): Diagnostic {
  const range = p.range
    ? rangeOf(td, p.range)
    : { start: { line: (p.line ?? 1) - 1, character: (p.column ?? 1) - 1 }, end: { line: (p.line ?? 1) - 1, character: p.column ?? 1 } };
  const path = p.path ?? [];
  const doc = td.pd.doc;
  const node = nodeIn(doc, path);
  const err = (code: DiagnosticCode, fixes: QuickFix[] = []) => diagnostic(range, p.message, code, DiagnosticSeverity.Error, fixes);
  switch (p.code) {
    case 'yaml_syntax':
    case 'duplicate_key':
      return diagnostic(p.range ? tokenRange(td, p.range[0]) : range, p.message, p.code === 'yaml_syntax' ? DiagnosticCode.yamlSyntax : DiagnosticCode.duplicateKey, DiagnosticSeverity.Error);
    case 'unrecognized_keys': {
      const key = String(path.at(-1));
      return err(DiagnosticCode.unknownKey, renameKeyFix(td, path.slice(0, -1), key, range));
    }
    case 'duplicate_id': {
      const id = stringAt(doc, path);
      if (id === undefined || !isScalar(node)) return err(DiagnosticCode.duplicateId);
      const ids = new Set(checkIdsIn(td));
      let n = 2;
      while (ids.has(`${id}_${n}`)) n++;
      return err(DiagnosticCode.duplicateId, [{ title: `Rename to "${id}_${n}"`, range: nodeRange(td, node), newText: `${id}_${n}` }]);
    }
    case 'invalid_union': {
      const type = stringAt(doc, path);
      if (path.at(-1) !== 'type' || !isCheckPath(path.slice(0, -1))) return err(DiagnosticCode.schema);
      const near = type === undefined ? undefined : nearest(type, CHECK_TYPES);
      return err(DiagnosticCode.unknownCheckType, near ? [{ title: `Change to "${near}"`, range: nodeRange(td, node), newText: near }] : []);
    }
    case 'too_big':
    case 'too_small': {
      const field = schemaAt(path, discriminatorIn(td));
      const fix = field && isScalar(node) && typeof node.value === 'number' ? clampFix(td, node, field) : undefined;
      return err(DiagnosticCode.outOfRange, fix ? [fix] : []);
    }
    default:
      return err(DiagnosticCode.schema);
  }
}

function clampFix(td: TaskDocument, node: Node, field: z.ZodType): QuickFix | undefined {
  const v = (node as unknown as { value: number }).value;
  const { min, max } = boundsOf(field);
  const to = max !== undefined && v > max ? max : min !== undefined && v < min ? min : undefined;
  return to === undefined ? undefined : { title: `Clamp to ${to}`, range: nodeRange(td, node), newText: String(to) };
}

/** Rename an unknown key to the declared key it nearly spells (and that the mapping does not have yet). */
function renameKeyFix(td: TaskDocument, mapPath: Path, key: string, range: Range): QuickFix[] {
  const container = schemaAt(mapPath, discriminatorIn(td));
  const map = nodeIn(td.pd.doc, mapPath);
  if (!container || !isMap(map)) return [];
  const present = new Set(map.items.map(keyOf));
  const near = nearest(
    key,
    fieldsOf(container)
      .map((f) => f.key)
      .filter((k) => !present.has(k)),
  );
  return near ? [{ title: `Rename to "${near}"`, range, newText: near }] : [];
}

function checkIdsIn(td: TaskDocument): string[] {
  const checks = nodeIn(td.pd.doc, ['verify', 'checks']);
  if (!isSeq(checks)) return [];
  return checks.items.flatMap((c, i) => {
    if (!isMap(c)) return [];
    const id = c.get('id');
    const type = c.get('type');
    return typeof id === 'string' ? [id] : typeof type === 'string' ? [`${type}_${i + 1}`] : [];
  });
}

/**
 * Keys zod accepts and then drops (its objects strip unknown keys; only the top level is strict,
 * and those the core loader reports as errors). A typo in a check — `paht:` — would otherwise be a
 * check that silently tests something else.
 */
function ignoredKeys(td: TaskDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (node: unknown, schema: z.ZodType, path: Path): void => {
    if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const s = childSchema(schema, i);
        if (s) walk(item, s, [...path, i]);
      });
      return;
    }
    if (!isMap(node)) return;
    const s = resolveVariant(schema, () => node.get('type'));
    if (isUnresolvedUnion(s)) return; // an unknown check type: the loader reports it, its keys mean nothing yet
    const kind = kindOf(s);
    const mode = kind === 'object' ? objectMode(s) : 'passthrough';
    for (const pair of node.items) {
      const key = keyOf(pair);
      if (key === undefined) continue;
      const child = childSchema(s, key);
      if (child) {
        walk(pair.value, child, [...path, key]);
        continue;
      }
      if (mode !== 'strip') continue;
      const where = isCheckPath(path) ? `a ${String(node.get('type'))} check` : path.filter((k) => typeof k === 'string').join('.');
      const range = nodeRange(td, pair.key as Node);
      out.push(
        diagnostic(range, `unknown key "${key}" in ${where}: it is ignored`, DiagnosticCode.unknownKey, DiagnosticSeverity.Warning, renameKeyFix(td, path, key, range)),
      );
    }
  };
  walk(td.pd.doc.contents, TaskSpec, []);
  return out;
}

/**
 * A check must be about a file the agent starts with or is told to make. A path that is in neither
 * `workspace/` nor the instruction is almost always a typo or a forgotten file.
 */
function pathWarnings(td: TaskDocument, fs: FsView): Diagnostic[] {
  if (!td.taskDir) return [];
  const doc = td.pd.doc;
  const instruction = stringAt(doc, ['instruction']) ?? '';
  const testsMount = (stringAt(doc, ['verify', 'tests_mount']) ?? '/tests').replace(/\/+$/, '');
  const ws = join(td.taskDir, 'workspace');
  let listing: string[] | undefined;
  const out: Diagnostic[] = [];

  // Big tasks check the same few files many times over.
  const named = new Map<string, boolean>();
  const started = new Map<string, boolean>();
  const inStart = (rel: string): boolean => started.get(rel) ?? started.set(rel, existedAtStart(rel)).get(rel)!;
  const existedAtStart = (rel: string): boolean => {
    const r = rel.replace(/^\.\//, '').replace(/\/+$/, '');
    // A workspace-relative tests_mount (ClawGym's `reward`) brings tests/ files in before verification.
    if (!testsMount.startsWith('/') && r.startsWith(`${testsMount}/`)) return fs.kind(join(td.taskDir!, 'tests', r.slice(testsMount.length + 1))) !== undefined;
    return fs.kind(join(ws, r)) !== undefined;
  };
  const consider = (kind: string, node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string') return;
    const rel = node.value;
    if (!rel || rel.startsWith('/') || rel.split(/[\\/]/).includes('..')) return; // the schema reports these
    if (inStart(rel)) return;
    const mentioned = named.get(rel) ?? named.set(rel, mentions(instruction, rel)).get(rel)!;
    let message: string;
    if (kind === 'file_unchanged') message = `"${rel}" is not in workspace/: file_unchanged compares a file with the one the agent started with`;
    else if (mentioned) return;
    else if (kind === 'file_absent') message = `"${rel}" is neither in workspace/ nor mentioned in the instruction: this check passes even if the agent does nothing`;
    else message = `"${rel}" is neither in workspace/ nor mentioned in the instruction: nothing tells the agent to create it`;
    listing ??= fs.list(ws, 5000).filter((p) => !p.endsWith('/'));
    const near = nearest(rel, listing);
    const range = nodeRange(td, node);
    out.push(
      diagnostic(range, message, DiagnosticCode.pathNotInWorkspace, DiagnosticSeverity.Warning, near ? [{ title: `Change to "${near}"`, range, newText: near }] : []),
    );
  };

  const checks = nodeIn(doc, ['verify', 'checks']);
  if (isSeq(checks)) {
    for (const c of checks.items) {
      if (!isMap(c)) continue;
      const type = c.get('type');
      if (typeof type === 'string' && PATH_CHECK_TYPES.has(type)) consider(type, c.get('path', true));
    }
  }
  const rules = nodeIn(doc, ['verify', 'rubric', 'rules']);
  if (isSeq(rules)) for (const r of rules.items) if (isMap(r)) consider('rubric', r.get('file_path', true));
  return out;
}

/**
 * Whether the instruction names a path: the path itself, its file name as a word, or a folder it is
 * in (`out/`, "the out folder").
 */
export function mentions(instruction: string, rel: string): boolean {
  const r = rel.replace(/^\.\//, '').replace(/\/+$/, '');
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // As a whole word: "out.md" is not named by "layout.md", nor "a.csv" by "a.csv.bak".
  const word = (s: string) => new RegExp(`(?<![\\w-])${esc(s)}(?![\\w-]|\\.\\w)`).test(instruction);
  const parts = r.split('/');
  if (word(r) || word(parts.at(-1)!)) return true;
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (new RegExp(`(?<![\\w-])${esc(dir)}(?:/|\\s+(?:folder|directory))`).test(instruction)) return true;
  }
  return false;
}

/**
 * The code and rubric weights are fractions of the reward. (A check's own `weight` is relative to
 * the other checks', so 2 or 4 there is fine.)
 */
function weightWarnings(td: TaskDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const part of ['code', 'rubric'] as const) {
    const node = nodeIn(td.pd.doc, ['verify', 'weights', part]);
    if (!isScalar(node) || typeof node.value !== 'number' || node.value <= 1) continue;
    const range = nodeRange(td, node);
    out.push(
      diagnostic(range, `verify.weights.${part} is ${node.value}: the code and rubric weights are fractions of the reward, in [0,1]`, DiagnosticCode.outOfRange, DiagnosticSeverity.Warning, [
        { title: 'Clamp to 1', range, newText: '1' },
      ]),
    );
  }
  return out;
}
