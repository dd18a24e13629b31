/** Hover docs (from the schema's `.describe()` texts) and go-to-definition from a path to its workspace file. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isScalar } from 'yaml';
import { MarkupKind, type Hover, type LocationLink, type Position } from 'vscode-languageserver/node.js';
import { discriminatorIn, rangeOf, type TaskDocument } from './analysis.js';
import { checkTypeDoc } from './completion.js';
import type { FsView } from './fs-view.js';
import { CHECK_TYPE_INFO, isCheckPath, isWorkspacePathField, schemaAt, typeSummary, unwrap } from './schema-info.js';
import { nodeAt } from './yaml-ast.js';

export function hover(td: TaskDocument, pos: Position): Hover | null {
  const at = nodeAt(td.pd.doc, td.doc.offsetAt(pos));
  if (!at) return null;
  const range = rangeOf(td, at.node.range ? [at.node.range[0], at.node.range[1]] : undefined);
  // A check type (on `type:` or on its value): what the check does and the keys it takes.
  const keyPath = at.path.slice(0, lastKeyIndex(at.path) + 1);
  const key = keyPath.at(-1);
  if (key === 'type' && isCheckPath(keyPath.slice(0, -1))) {
    const type = td.pd.doc.getIn(keyPath);
    const info = CHECK_TYPE_INFO.find((c) => c.type === type);
    const value = info ? checkTypeDoc(info.type, info.description, info.schema) : `**type** — the kind of check, one of: ${CHECK_TYPE_INFO.map((c) => `\`${c.type}\``).join(', ')}`;
    return { contents: { kind: MarkupKind.Markdown, value }, range };
  }
  if (typeof key !== 'string') return null;
  const field = schemaAt(keyPath, discriminatorIn(td));
  if (!field) return null;
  const description = unwrap(field).description;
  return { contents: { kind: MarkupKind.Markdown, value: `**${key}** — ${typeSummary(field)}${description ? `\n\n${description}` : ''}` }, range };
}

/** The nearest mapping key along a path (a list item's docs are its list's). */
function lastKeyIndex(path: readonly (string | number)[]): number {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return i;
  return -1;
}

export function definition(td: TaskDocument, pos: Position, fs: FsView): LocationLink[] | null {
  const at = nodeAt(td.pd.doc, td.doc.offsetAt(pos));
  if (!at || at.on !== 'value' || !td.taskDir || !isScalar(at.node) || typeof at.node.value !== 'string') return null;
  const field = schemaAt(at.path, discriminatorIn(td));
  if (!field || !isWorkspacePathField(field)) return null;
  const rel = at.node.value;
  if (rel.startsWith('/') || rel.split(/[\\/]/).includes('..')) return null;
  const file = join(td.taskDir, 'workspace', rel);
  if (fs.kind(file) !== 'file') return null;
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [{ originSelectionRange: rangeOf(td, at.node.range ? [at.node.range[0], at.node.range[1]] : undefined), targetUri: pathToFileURL(file).href, targetRange: top, targetSelectionRange: top }];
}
