/**
 * Parse YAML (or JSON, which YAML reads too) keeping node positions, and validate against a zod
 * schema, so that every problem is reported as file:line:column.
 */
import { Document, isMap, isNode, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { TaskLoadError, type TaskProblem } from '../errors.js';

export interface PositionedDoc {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** Lines before the parsed text in its file (front matter starts after `---`). */
  lineOffset: number;
}

export function parseYamlDoc(text: string, file: string, lineOffset = 0): PositionedDoc {
  const { pd, problems } = parseYamlDocLenient(text, file, lineOffset);
  if (problems.length) throw new TaskLoadError(problems);
  return pd;
}

/**
 * Parse without throwing: the document (the `yaml` package keeps a best-effort tree even when the
 * text is broken, which editors need for completion and hover) and its syntax problems.
 */
export function parseYamlDocLenient(text: string, file: string, lineOffset = 0): { pd: PositionedDoc; problems: TaskProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: TaskProblem[] = doc.errors.map((e) => ({
    file,
    line: lines.linePos(e.pos[0]).line + lineOffset,
    column: lines.linePos(e.pos[0]).col,
    message: `${kindOfYamlError(e.code)}: ${firstLine(e.message)}`,
    range: [e.pos[0], e.pos[1]],
    code: e.code === 'DUPLICATE_KEY' ? 'duplicate_key' : 'yaml_syntax',
  }));
  return { pd: { file, doc, lines, lineOffset }, problems };
}

function kindOfYamlError(code: string): string {
  return code === 'DUPLICATE_KEY' ? 'duplicate key' : 'YAML syntax error';
}
function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The position of the deepest node that exists along `path` (the parent when a key is missing). */
export function positionOf(pd: PositionedDoc, path: readonly PropertyKey[]): TaskProblem {
  let node: unknown = pd.doc.contents;
  for (let i = path.length; i >= 0; i--) {
    const n = i === 0 ? pd.doc.contents : pd.doc.getIn(path.slice(0, i) as unknown[], true);
    if (isNode(n)) {
      node = n;
      // Point at the key of a missing property's parent? The value node is more useful for edits.
      break;
    }
  }
  const range = (node as Node | null)?.range;
  if (!range) return { file: pd.file, line: 1 + pd.lineOffset, column: 1, message: '' };
  const lp = pd.lines.linePos(range[0]);
  return { file: pd.file, line: lp.line + pd.lineOffset, column: lp.col, message: '', range: [range[0], range[1]] };
}

/** The position of a mapping's key (`key` inside the mapping at `mapPath`), else of the mapping. */
export function positionOfKey(pd: PositionedDoc, mapPath: readonly PropertyKey[], key: string): TaskProblem {
  const map = mapPath.length ? pd.doc.getIn(mapPath as unknown[], true) : pd.doc.contents;
  if (isMap(map)) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const range = isNode(pair?.key) ? pair.key.range : undefined;
    if (range) {
      const lp = pd.lines.linePos(range[0]);
      return { file: pd.file, line: lp.line + pd.lineOffset, column: lp.col, message: '', range: [range[0], range[1]] };
    }
  }
  return positionOf(pd, mapPath);
}

export function validateDoc<S extends z.ZodType>(pd: PositionedDoc, schema: S, value?: unknown): z.infer<S> {
  const res = schemaProblems(pd, schema, value);
  if (res.problems.length) throw new TaskLoadError(res.problems);
  return res.data as z.infer<S>;
}

/** Validate without throwing: the parsed data when valid, else every problem at its node. */
export function schemaProblems<S extends z.ZodType>(pd: PositionedDoc, schema: S, value?: unknown): { data?: z.infer<S>; problems: TaskProblem[] } {
  const data = value === undefined ? pd.doc.toJS() : value;
  const res = schema.safeParse(data);
  if (res.success) return { data: res.data, problems: [] };
  return {
    problems: res.error.issues.flatMap((issue): TaskProblem[] => {
      const path = issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
      // One problem per unknown key, at the key itself, so that editors can underline (and fix) each.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => ({ ...positionOfKey(pd, issue.path, k), message: describeIssue(issue, data, [k]), code: issue.code, path: [...path, k] }));
      }
      return [{ ...positionOf(pd, issue.path), message: describeIssue(issue, data), code: issue.code, path }];
    }),
  };
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, keys?: string[]): string {
  const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return `${where}unknown key(s) ${(keys ?? issue.keys).map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return `${where}unknown or missing check "type"`;
  }
  if (issue.code === 'invalid_type' && issue.path.length && valueAt(data, issue.path) === undefined) {
    return `${where}required key is missing (expected ${issue.expected})`;
  }
  return `${where}${issue.message}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
