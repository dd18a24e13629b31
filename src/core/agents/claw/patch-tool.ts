/**
 * apply_patch (OpenClaw 2026.9.6's tool): one patch that adds, updates, moves or deletes files.
 *
 *   *** Begin Patch
 *   *** Add File: <path>          each line of the new file starts with "+"
 *   *** Update File: <path>       then optionally "*** Move to: <path>", then hunks:
 *   @@ [a line to find first]     " " context, "-" removed, "+" added lines
 *   *** Delete File: <path>
 *   *** End Patch
 *
 * Every hunk is checked against the files before anything is written, so a patch that does not
 * apply changes nothing and the model hears which hunk failed. Files are read and written inside
 * the sandbox, as the other file tools do.
 */
import { runTool, expandHome, type ToolEnv } from './tool-env.js';
import { readText, replaceText, writeTool, type ToolOutput } from './fs-tools.js';
import { ToolInputError, type PatchArgs } from './tools.js';

interface Hunk {
  anchor: string;
  lines: Array<{ op: ' ' | '-' | '+'; text: string }>;
}

type Op = { kind: 'add'; path: string; content: string } | { kind: 'delete'; path: string } | { kind: 'update'; path: string; moveTo?: string; hunks: Hunk[] };

export function parsePatch(input: string): Op[] {
  const lines = input.replace(/\r\n/g, '\n').split('\n');
  while (lines.length && !lines.at(-1)!.trim()) lines.pop();
  let i = 0;
  while (i < lines.length && !lines[i]!.trim()) i++;
  if (lines[i]?.trim() !== '*** Begin Patch') throw new ToolInputError('the patch must start with "*** Begin Patch"');
  if (lines.at(-1)?.trim() !== '*** End Patch') throw new ToolInputError('the patch must end with "*** End Patch"');
  const body = lines.slice(i + 1, -1);
  const ops: Op[] = [];
  for (let n = 0; n < body.length; ) {
    const line = body[n]!;
    const header = line.match(/^\*\*\* (Add|Update|Delete) File: (.+)$/);
    if (!header) throw new ToolInputError(`patch line ${n + 2}: expected "*** Add File:", "*** Update File:" or "*** Delete File:", got ${JSON.stringify(line.slice(0, 80))}`);
    const path = header[2]!.trim();
    n++;
    if (header[1] === 'Delete') {
      ops.push({ kind: 'delete', path });
      continue;
    }
    if (header[1] === 'Add') {
      const content: string[] = [];
      for (; n < body.length && !body[n]!.startsWith('*** '); n++) {
        if (!body[n]!.startsWith('+')) throw new ToolInputError(`patch line ${n + 2}: every line of an added file starts with "+"`);
        content.push(body[n]!.slice(1));
      }
      ops.push({ kind: 'add', path, content: content.length ? `${content.join('\n')}\n` : '' });
      continue;
    }
    const op: Extract<Op, { kind: 'update' }> = { kind: 'update', path, hunks: [] };
    const move = body[n]?.match(/^\*\*\* Move to: (.+)$/);
    if (move) {
      op.moveTo = move[1]!.trim();
      n++;
    }
    let hunk: Hunk | null = null;
    for (; n < body.length && !/^\*\*\* (Add|Update|Delete) File: /.test(body[n]!); n++) {
      const l = body[n]!;
      if (l.startsWith('@@')) {
        hunk = { anchor: l.slice(2).trim(), lines: [] };
        op.hunks.push(hunk);
        continue;
      }
      if (l === '*** End of File') continue;
      hunk ??= op.hunks[op.hunks.push({ anchor: '', lines: [] }) - 1]!;
      const c = l[0] ?? ' ';
      if (c !== ' ' && c !== '-' && c !== '+') throw new ToolInputError(`patch line ${n + 2}: a hunk line starts with " ", "-" or "+"`);
      hunk.lines.push({ op: c, text: l.slice(1) });
    }
    if (!op.hunks.some((h) => h.lines.length) && !op.moveTo) throw new ToolInputError(`"*** Update File: ${path}" has no hunk`);
    ops.push(op);
  }
  if (!ops.length) throw new ToolInputError('the patch changes no file');
  return ops;
}

/** Apply hunks to a file's lines; each hunk's old lines are found at or after the previous hunk (after its anchor line, if any). */
export function applyHunks(text: string, hunks: readonly Hunk[], path: string): string {
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n');
  let pos = 0;
  for (const [k, h] of hunks.entries()) {
    if (h.anchor) {
      const a = lines.findIndex((l, i) => i >= pos && l.trim() === h.anchor);
      if (a < 0) throw new ToolInputError(`hunk ${k + 1} of ${path}: the line ${JSON.stringify(h.anchor)} after @@ is not in the file`);
      pos = a + (h.lines.length && h.lines[0]!.text.trim() === h.anchor ? 0 : 1);
    }
    const old = h.lines.filter((l) => l.op !== '+').map((l) => l.text);
    const neu = h.lines.filter((l) => l.op !== '-').map((l) => l.text);
    const find = (eq: (a: string, b: string) => boolean): number => {
      for (let i = pos; i + old.length <= lines.length; i++) if (old.every((o, j) => eq(lines[i + j]!, o))) return i;
      return -1;
    };
    // Exact first; then ignoring trailing whitespace (models drop it).
    let at = old.length ? find((a, b) => a === b) : lines.length;
    if (at < 0) at = find((a, b) => a.trimEnd() === b.trimEnd());
    if (at < 0) throw new ToolInputError(`hunk ${k + 1} of ${path} does not apply: its context and removed lines are not in the file as given`);
    lines.splice(at, old.length, ...neu);
    pos = at + neu.length;
  }
  return lines.join('\n') + (trailing || !text ? '\n' : '');
}

export async function applyPatchTool(env: ToolEnv, a: PatchArgs): Promise<ToolOutput> {
  const ops = parsePatch(a.input);
  // Work out every file's new text before writing any.
  const writes: Array<{ path: string; content: string; replace: boolean }> = [];
  const deletes: string[] = [];
  for (const op of ops) {
    if (op.kind === 'add') writes.push({ path: op.path, content: op.content, replace: false });
    else if (op.kind === 'delete') {
      const got = await readText(env, op.path, op.path);
      if ('error' in got) return { text: `Error: cannot delete: ${got.error}`, isError: true };
      deletes.push(op.path);
    } else {
      const got = await readText(env, op.path, op.path);
      if ('error' in got) return { text: `Error: ${got.error}`, isError: true };
      const next = applyHunks(got.text, op.hunks, op.path);
      if (op.moveTo) {
        writes.push({ path: op.moveTo, content: next, replace: false });
        deletes.push(op.path);
      } else writes.push({ path: op.path, content: next, replace: true });
    }
  }
  const done: string[] = [];
  for (const w of writes) {
    const r = w.replace ? await replaceText(env, w.path, w.path, w.content) : (await writeTool(env, { path: w.path, content: w.content })).isError ? `cannot write ${w.path}` : null;
    if (r) return { text: `Error: ${r}${done.length ? ` (already changed: ${done.join(', ')})` : ''}`, isError: true, mutated: true };
    done.push(`${w.replace ? 'M' : 'A'} ${w.path}`);
  }
  for (const d of deletes) {
    const r = await runTool(env, ['rm', '-f', '--', expandHome(d)], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) return { text: `Error: cannot delete ${d}: ${r.stderr.trim()}`, isError: true, mutated: true };
    done.push(`D ${d}`);
  }
  return { text: `Success. Updated the following files:\n${done.join('\n')}`, isError: false, mutated: true };
}
