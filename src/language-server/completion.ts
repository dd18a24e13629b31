/**
 * Completion in task.yaml: keys for where the cursor is (top level, inside a check of a given
 * type, inside `verify`…), check types after `type:`, the values of enums and booleans, and paths
 * from the task's `workspace/` folder for path-valued fields.
 *
 * Where the cursor is comes from indentation, not from the YAML tree: while a key is being typed
 * the document is usually broken, and a blank indented line has no node at all.
 */
import { join } from 'node:path';
import { CompletionItemKind, InsertTextMode, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver/node.js';
import type { z } from 'zod';
import type { TaskDocument } from './analysis.js';
import type { FsView } from './fs-view.js';
import { CHECK_TYPE_INFO, fieldsOf, isCheckPath, isWorkspacePathField, kindOf, schemaAt, typeSummary, valuesOf } from './schema-info.js';
import type { Path } from './yaml-ast.js';

/** Most workspace paths offered at once (a workspace can be a whole repository). */
const MAX_PATHS = 2000;

interface LineInfo {
  indent: number;
  dash: boolean;
  /** The column where the line's key (or item content) starts. */
  keyCol: number;
  key?: string;
  /** The text after `key:` without a trailing comment; '' when the value is on the next lines. */
  rest?: string;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s:#'"{}[\],&*!|>%@`][^:#]*?)\s*:(?:\s+(.*))?$/;

function lineInfo(line: string): LineInfo | undefined {
  const m = /^( *)(- +)?(.*?)\s*$/.exec(line)!;
  const indent = m[1]!.length;
  const dash = m[2] !== undefined;
  const content = m[3]!;
  if (!dash && (content === '' || content.startsWith('#'))) return undefined;
  const k = KEY.exec(content);
  const key = k ? k[1]!.replace(/^(["'])(.*)\1$/, '$2') : undefined;
  const rest = k ? (k[2] ?? '').replace(/(^|\s)#.*$/, '').trim() : undefined;
  return { indent, dash, keyCol: indent + (m[2]?.length ?? 0), key, rest };
}

interface Context {
  /** Path of the mapping the cursor's key belongs to. */
  path: Path;
  /** The other keys of that mapping, with their inline values. */
  siblings: Map<string, string>;
}

/**
 * The mapping a key typed at column `col` of line `lineNo` would belong to. `itemDash` is the dash
 * column when that line itself starts a sequence item (`- ty|`). Undefined inside a block scalar
 * (the instruction) or under a key that already has an inline value.
 */
export function contextAt(lines: readonly string[], lineNo: number, col: number, itemDash?: number): Context | undefined {
  const path: Path = [];
  const siblings = new Map<string, string>();
  let innermost = true;
  let mode: 'map' | 'seq' = itemDash === undefined ? 'map' : 'seq';
  let target = itemDash ?? col;
  let index = 0;
  // Climbing to a parent key: its own line may start a sequence item (`- checks:`), so look at it again.
  const climb = (info: LineInfo): boolean => {
    if (!info.key || info.rest) return false;
    path.unshift(info.key);
    innermost = false;
    if (info.dash) [mode, target, index] = ['seq', info.indent, 0];
    else [mode, target] = ['map', info.keyCol];
    return true;
  };
  // Keys below the cursor belong to the same mapping too (the `type:` of a check being edited).
  for (let l = lineNo + 1; l < lines.length; l++) {
    const info = lineInfo(lines[l]!);
    if (!info) continue;
    if (info.indent < col) break;
    if (!info.dash && info.indent === col && info.key) siblings.set(info.key, info.rest ?? '');
  }
  for (let l = lineNo - 1; l >= 0; l--) {
    const info = lineInfo(lines[l]!);
    if (!info) continue;
    if (mode === 'map') {
      if (info.keyCol > target) continue; // a sibling's children
      if (info.keyCol === target) {
        if (innermost && info.key) siblings.set(info.key, info.rest ?? '');
        if (info.dash) [mode, target, index] = ['seq', info.indent, 0]; // the first line of the item we are in
        continue;
      }
      if (!climb(info)) return undefined;
    } else {
      if (info.indent > target) continue; // inside an earlier item
      if (info.indent === target && info.dash) {
        index++;
        continue;
      }
      path.unshift(index);
      if (!climb(info)) return undefined;
    }
  }
  if (mode === 'seq') path.unshift(index);
  return { path, siblings };
}

export function complete(td: TaskDocument, pos: Position, fs: FsView, triggerCharacter?: string): CompletionItem[] | null {
  const lines = td.doc.getText().split(/\r?\n/);
  const line = lines[pos.line] ?? '';
  const prefix = line.slice(0, pos.character);
  // Typing a space completes only right after `key:` or `-`.
  if (triggerCharacter === ' ' && !/(:|^\s*-) $/.test(prefix)) return null;

  const value = /^( *)(- +)?([A-Za-z0-9_.-]+):( +)(["']?)(.*)$/.exec(prefix);
  if (value) {
    const [, ind, dash, key, gap, quote, partial] = value as unknown as [string, string, string | undefined, string, string, string, string];
    const col = ind.length + (dash?.length ?? 0);
    const ctx = contextAt(lines, pos.line, col, dash ? ind.length : undefined);
    if (!ctx) return null;
    const start = { line: pos.line, character: col + key.length + 1 + gap.length + quote.length };
    // Replace the whole value token, so that accepting inside a word does not leave its tail behind.
    const tail = /^[^\s"'#]*/.exec(line.slice(pos.character))![0].length;
    const range: Range = { start, end: { line: pos.line, character: pos.character + tail } };
    return valueItems(td, ctx, key, partial, range, fs);
  }
  const keyLine = /^( *)(- +)?([A-Za-z0-9_.-]*)$/.exec(prefix);
  if (keyLine) {
    const [, ind, dash, partial] = keyLine as unknown as [string, string, string | undefined, string];
    const col = ind.length + (dash?.length ?? 0);
    const ctx = contextAt(lines, pos.line, col, dash ? ind.length : undefined);
    if (!ctx) return null;
    const range: Range = { start: { line: pos.line, character: col }, end: { line: pos.line, character: col + partial.length } };
    return keyItems(td, ctx, col, range);
  }
  return null;
}

function discriminator(td: TaskDocument, ctx: Context): (prefix: readonly (string | number)[]) => unknown {
  return (prefix) => (prefix.length === ctx.path.length ? ctx.siblings.get('type') : td.pd.doc.getIn([...prefix, 'type']));
}

function keyItems(td: TaskDocument, ctx: Context, col: number, range: Range): CompletionItem[] | null {
  const container = schemaAt(ctx.path, discriminator(td, ctx));
  if (!container) return null;
  const fields = fieldsOf(container).filter((f) => !ctx.siblings.has(f.key));
  if (!fields.length) return null;
  const pad = ' '.repeat(col + 2);
  return fields.map((f, i) => {
    const kind = kindOf(f.schema);
    // Nested values go on the next lines; indentation is computed here (asIs), because the line's
    // own indentation is the dash's, not the key's, on `- key` lines.
    const newText = kind === 'object' || kind === 'record' ? `${f.key}:\n${pad}` : kind === 'array' ? `${f.key}:\n${pad}- ` : `${f.key}: `;
    const suggestsValue = f.key === 'type' || valuesOf(f.schema).length > 0 || isWorkspacePathField(f.schema);
    return {
      label: f.key,
      kind: CompletionItemKind.Property,
      detail: typeSummary(f.schema) + (f.required ? ' (required)' : ''),
      documentation: f.description ? { kind: MarkupKind.Markdown, value: f.description } : undefined,
      // Required keys first, then the schema's own order (`type` leads in a check).
      sortText: `${f.key === 'type' ? 0 : f.required ? 1 : 2}${String(i).padStart(3, '0')}`,
      textEdit: { range, newText },
      insertTextMode: InsertTextMode.asIs,
      command: suggestsValue ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
    };
  });
}

function valueItems(td: TaskDocument, ctx: Context, key: string, partial: string, range: Range, fs: FsView): CompletionItem[] | null {
  if (key === 'type' && isCheckPath(ctx.path)) {
    return CHECK_TYPE_INFO.map((c, i) => ({
      label: c.type,
      kind: CompletionItemKind.EnumMember,
      detail: 'check type',
      documentation: { kind: MarkupKind.Markdown, value: checkTypeDoc(c.type, c.description, c.schema) },
      sortText: String(i).padStart(3, '0'),
      textEdit: { range, newText: c.type },
    }));
  }
  const field = schemaAt([...ctx.path, key], discriminator(td, ctx));
  if (!field) return null;
  if (isWorkspacePathField(field)) return pathItems(td, partial, range, fs);
  const values = valuesOf(field);
  if (!values.length) return null;
  return values.map((v) => ({ label: String(v), kind: CompletionItemKind.Value, textEdit: { range, newText: String(v) } }));
}

function pathItems(td: TaskDocument, partial: string, range: Range, fs: FsView): CompletionItem[] | null {
  if (!td.taskDir) return null;
  // Only entries at or below the folder typed so far, so that a big workspace stays usable.
  const dir = partial.includes('/') ? partial.slice(0, partial.lastIndexOf('/') + 1) : '';
  if (dir.startsWith('/') || dir.split('/').includes('..')) return null; // never list outside the workspace
  const entries = fs.list(join(td.taskDir, 'workspace', dir), MAX_PATHS).map((e) => dir + e);
  return entries.map((p) => {
    const folder = p.endsWith('/');
    return {
      label: p,
      kind: folder ? CompletionItemKind.Folder : CompletionItemKind.File,
      detail: 'workspace/',
      filterText: p,
      // Files first, shallow before deep.
      sortText: `${folder ? 1 : 0}${String(p.split('/').length).padStart(2, '0')}${p}`,
      textEdit: { range, newText: p },
      command: folder ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
    };
  });
}

/** A check type's description and its keys, for completion and hover. */
export function checkTypeDoc(type: string, description: string, schema: z.ZodType): string {
  const keys = fieldsOf(schema)
    .filter((f) => f.key !== 'type')
    .map((f) => `- \`${f.key}\`${f.required ? ' (required)' : ''}${f.description ? ` — ${f.description}` : ''}`);
  return `**${type}** check: ${description}\n\n${keys.join('\n')}`;
}
