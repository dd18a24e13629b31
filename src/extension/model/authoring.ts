/**
 * The pure parts of the authoring commands: where Add Check inserts into task.yaml, the check
 * snippets (the same file the editor's snippet completion reads), and the task.yaml of a
 * duplicated task. No vscode.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** One check snippet of `snippets/task-checks.code-snippets`. */
export interface CheckSnippet {
  name: string;
  /** The check type it writes (from its `type:` line). */
  type: string;
  description: string;
  body: string[];
}

/** The snippets file's entries, in file order. */
export function checkSnippets(json: string): CheckSnippet[] {
  const raw = JSON.parse(json) as Record<string, { description?: string; body: string[] | string }>;
  return Object.entries(raw).map(([name, s]) => {
    const body = Array.isArray(s.body) ? s.body : [s.body];
    const type = body.map((l) => /^\s*type:\s*([a-z_]+)/.exec(l)?.[1]).find(Boolean) ?? name;
    return { name, type, description: s.description ?? '', body };
  });
}

/**
 * Where a new check goes: after the last check of `verify.checks` (0-based line to insert
 * before, and the column of the list's dashes), creating `checks:` or `verify:` when missing.
 */
export interface CheckInsertion {
  /** Insert before this line (0-based); equal to the line count for the end of the file. */
  line: number;
  /** Indentation of the check's `- `. */
  indent: number;
  /** Lines to write before the check (`verify:` / `checks:`), already indented. */
  header: string[];
  /** The line at `line` is replaced (an empty `checks: []` becomes a block list). */
  replaceLine?: boolean;
}

export function checkInsertion(text: string): CheckInsertion {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const lines = text.split('\n');
  const endLine = text.endsWith('\n') ? lines.length - 1 : lines.length;
  // The line after the node ending at `offset` (0-based), skipping nothing: a comment after the
  // last check stays after the new one.
  const lineAfter = (offset: number): number => {
    const at = lc.linePos(Math.max(0, offset - 1));
    return at.line; // linePos is 1-based, so this is the next line 0-based
  };
  const root = doc.contents;
  const verify = isMap(root) ? (root.get('verify', true) as Node | undefined) : undefined;
  if (!isMap(verify)) {
    return { line: endLine, indent: 4, header: ['verify:', '  checks:'] };
  }
  const checks = verify.get('checks', true) as Node | undefined;
  if (isSeq(checks) && checks.items.length && checks.range) {
    const dash = lc.linePos(checks.range[0]);
    const last = checks.items[checks.items.length - 1] as Node;
    const end = last.range ? last.range[1] : checks.range[1];
    return { line: Math.min(lineAfter(end), endLine), indent: dash.col - 1, header: [] };
  }
  // verify: without checks (or `checks: []`): a `checks:` key right under `verify:`.
  const verifyKey = isMap(root) ? root.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'verify') : undefined;
  const keyLine = verifyKey?.key && (verifyKey.key as Node).range ? lc.linePos((verifyKey.key as Node).range![0]).line : endLine;
  const childIndent = verify.items.length && (verify.items[0]!.key as Node | null)?.range ? lc.linePos((verify.items[0]!.key as Node).range![0]).col - 1 : 2;
  if (checks !== undefined) {
    // `checks: []` or a bare `checks:`: that line becomes `checks:` with the new check under it.
    const pair = verify.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'checks');
    const at = pair?.key && (pair.key as Node).range ? lc.linePos((pair.key as Node).range![0]) : undefined;
    if (at) {
      const keyIndent = at.col - 1;
      return { line: at.line - 1, indent: keyIndent + 2, header: [`${' '.repeat(keyIndent)}checks:`], replaceLine: true };
    }
  }
  return { line: keyLine, indent: childIndent + 2, header: [`${' '.repeat(childIndent)}checks:`] };
}

/** The snippet text inserted at a CheckInsertion (whole lines, each ending in a newline). */
export function insertionSnippet(ins: CheckInsertion, body: readonly string[]): string {
  const pad = ' '.repeat(ins.indent);
  return [...ins.header, ...body.map((l) => pad + l)].join('\n') + '\n';
}

/**
 * task.yaml of a copy: the new id, "(copy)" after the title, the review back to pending and its
 * notes dropped; everything else (comments included) as written.
 */
export function duplicateTaskYaml(text: string, newId: string): string {
  const doc = parseDocument(text);
  doc.setIn(['id'], newId);
  const title = doc.getIn(['title']);
  if (typeof title === 'string') doc.setIn(['title'], `${title} (copy)`);
  if (doc.hasIn(['review'])) doc.setIn(['review'], doc.createNode({ status: 'pending' }));
  return doc.toString();
}
