/**
 * read, write and edit, each executed inside the sandbox (a small bash script per call) so the
 * agent reaches exactly what a command it ran could reach: the workspace, /tmp, nothing of the host.
 */
import { expandHome, runTool, type ToolEnv } from './tool-env.js';
import type { EditArgs, LsArgs, ReadArgs, WriteArgs } from './tools.js';
import { MAX_BYTES, MAX_LINES, truncateHead } from './truncate.js';

export interface ToolOutput {
  text: string;
  isError: boolean;
  /** The tool may have changed workspace files (a snapshot is due). */
  mutated?: boolean;
}

const IMAGE = /\.(png|jpe?g|gif|webp)$/i;
const ok = (text: string, mutated = false): ToolOutput => ({ text, isError: false, mutated });
const fail = (text: string): ToolOutput => ({ text, isError: true });

// Exit codes the scripts use to say why, so messages are ours and not a shell's.
const NOT_FOUND = 3;
const IS_DIR = 4;

const READ_SCRIPT = `f="$1"
[ -e "$f" ] || exit ${NOT_FOUND}
[ -d "$f" ] && exit ${IS_DIR}
size=$(stat -L -c %s -- "$f") || exit 5
total=$(awk 'END { print NR }' "$f") || exit 5
printf '%s %s\\n' "$size" "$total"
tail -n +"$2" -- "$f" | head -n "$3" | head -c "$4"`;

function problem(code: number | null, path: string, stderr: string, timedOut: boolean): string {
  if (timedOut) return `${path}: timed out`;
  if (code === NOT_FOUND) return `File not found: ${path}`;
  if (code === IS_DIR) return `${path} is a directory, not a file (use exec with ls to list it)`;
  return `${path}: ${stderr.trim() || `failed (exit ${code})`}`;
}

export async function readTool(env: ToolEnv, a: ReadArgs): Promise<ToolOutput> {
  const path = expandHome(a.path);
  const start = a.offset ?? 1;
  const want = a.limit ?? MAX_LINES;
  const r = await runTool(env, ['bash', '-c', READ_SCRIPT, 'read', path, String(start), String(Math.min(want, MAX_LINES) + 1), String(MAX_BYTES + 1)], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) return fail(problem(r.exitCode, a.path, r.stderr, r.timedOut));
  const nl = r.stdout.indexOf('\n');
  const [size, total] = r.stdout.slice(0, nl).split(' ').map(Number) as [number, number];
  if (IMAGE.test(path)) return ok(`[${a.path} is an image (${size} bytes); images cannot be shown in this session]`);
  if (total === 0) return ok('');
  if (start > total) return fail(`Offset ${start} is beyond the end of ${a.path} (${total} lines)`);
  let body = r.stdout.slice(nl + 1);
  // head -n keeps each line's newline: drop the final one so lines split cleanly.
  if (body.endsWith('\n')) body = body.slice(0, -1);
  const t = truncateHead(body, Math.min(want, MAX_LINES), MAX_BYTES);
  if (t.firstLineTooLong) {
    return ok(`[Line ${start} of ${a.path} is over ${MAX_BYTES / 1024} KB. Read part of it with exec: sed -n '${start}p' ${a.path} | head -c ${MAX_BYTES}]`);
  }
  const last = start + t.lines - 1;
  if (last < total) {
    const why = a.limit === undefined || t.lines < want ? ` (output limit: ${MAX_LINES} lines or ${MAX_BYTES / 1024} KB)` : '';
    return ok(`${t.text}\n\n[Showing lines ${start}-${last} of ${total}${why}. Use offset=${last + 1} to continue.]`);
  }
  return ok(t.text);
}

const WRITE_SCRIPT = `f="$1"
d=$(dirname -- "$f")
mkdir -p -- "$d" && cat > "$f"`;

export async function writeTool(env: ToolEnv, a: WriteArgs): Promise<ToolOutput> {
  const r = await runTool(env, ['bash', '-c', WRITE_SCRIPT, 'write', expandHome(a.path)], { stdin: a.content, timeoutMs: 60_000 });
  if (r.exitCode !== 0) return { ...fail(problem(r.exitCode, a.path, r.stderr, r.timedOut)), mutated: true };
  return ok(`Successfully wrote ${Buffer.byteLength(a.content)} bytes to ${a.path}`, true);
}

const CAT_SCRIPT = `f="$1"
[ -e "$f" ] || exit ${NOT_FOUND}
[ -d "$f" ] && exit ${IS_DIR}
cat -- "$f"`;
const EDIT_LIMIT = 16 << 20;

/** The file's text as the sandbox sees it, or why not (the edit and patch tools read through it). */
export async function readText(env: ToolEnv, path: string, shown: string): Promise<{ text: string } | { error: string }> {
  const r = await runTool(env, ['bash', '-c', CAT_SCRIPT, 'edit', expandHome(path)], { timeoutMs: 30_000, outputBytes: EDIT_LIMIT + 1 });
  if (r.exitCode !== 0) return { error: problem(r.exitCode, shown, r.stderr, r.timedOut) };
  if (r.stdoutBytes > EDIT_LIMIT) return { error: `${shown} is larger than ${EDIT_LIMIT >> 20} MB: edit it with exec instead` };
  return { text: r.stdout };
}

/** Replace a file's text in place: `cat >` truncates, so the file keeps its mode and owner. */
export async function replaceText(env: ToolEnv, path: string, shown: string, text: string): Promise<string | null> {
  const w = await runTool(env, ['bash', '-c', 'cat > "$1"', 'edit', expandHome(path)], { stdin: text, timeoutMs: 60_000 });
  return w.exitCode === 0 ? null : problem(w.exitCode, shown, w.stderr, w.timedOut);
}

export async function editTool(env: ToolEnv, a: EditArgs): Promise<ToolOutput> {
  const got = await readText(env, a.path, a.path);
  if ('error' in got) return fail(got.error);
  const text = got.text;
  const many = a.edits.length > 1;
  const at: Array<{ start: number; end: number; newText: string }> = [];
  for (const [n, e] of a.edits.entries()) {
    const which = many ? `edits[${n}].oldText` : 'oldText';
    const first = text.indexOf(e.oldText);
    if (first < 0) return fail(`Could not find the text to replace in ${a.path}${many ? ` (${which})` : ''}. oldText must match exactly, including whitespace and line breaks.`);
    let count = 0;
    for (let i = first; i >= 0; i = text.indexOf(e.oldText, i + e.oldText.length)) count++;
    if (count > 1) return fail(`Found ${count} occurrences of ${which} in ${a.path}. It must be unique: include more surrounding context.`);
    at.push({ start: first, end: first + e.oldText.length, newText: e.newText });
  }
  // Every edit is against the file as it was: they must not overlap.
  at.sort((x, y) => x.start - y.start);
  for (let i = 1; i < at.length; i++) if (at[i]!.start < at[i - 1]!.end) return fail(`Edits overlap in ${a.path}: merge them into one edit.`);
  let next = '';
  let pos = 0;
  for (const e of at) {
    next += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  next += text.slice(pos);
  if (next === text) return fail(`No change: newText is the same as oldText in ${a.path}.`);
  const err = await replaceText(env, a.path, a.path, next);
  if (err) return { ...fail(err), mutated: true };
  return ok(many ? `Successfully made ${at.length} replacements in ${a.path}.` : `Successfully replaced text in ${a.path}.`, true);
}

// Names NUL-separated, folders with a trailing "/", in byte order (a stable cursor).
const LS_SCRIPT = `d="$1"
[ -e "$d" ] || exit ${NOT_FOUND}
[ -d "$d" ] || exit 6
cd -- "$d" || exit 5
for f in .* *; do
  [ "$f" = . ] || [ "$f" = .. ] && continue
  [ -e "$f" ] || [ -L "$f" ] || continue
  if [ -d "$f" ]; then printf '%s/\\0' "$f"; else printf '%s\\0' "$f"; fi
done`;
const LS_PAGE = 500;

export async function lsTool(env: ToolEnv, a: LsArgs): Promise<ToolOutput> {
  const r = await runTool(env, ['bash', '-c', LS_SCRIPT, 'ls', expandHome(a.path)], { timeoutMs: 30_000, extraEnv: { LC_ALL: 'C' } });
  if (r.exitCode === 6) return fail(`${a.path} is a file, not a folder (use read to show it)`);
  if (r.exitCode !== 0) return fail(r.exitCode === NOT_FOUND ? `Folder not found: ${a.path}` : problem(r.exitCode, a.path, r.stderr, r.timedOut));
  const all = r.stdout.split('\0').filter(Boolean).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const after = a.after?.replace(/\/$/, '');
  const rest = after === undefined ? all : all.filter((n) => n.replace(/\/$/, '') > after);
  const limit = a.limit ?? LS_PAGE;
  const page = rest.slice(0, limit);
  if (!all.length) return ok(`(${a.path} is empty)`);
  const more = rest.length > page.length ? `\n\n[${rest.length - page.length} more entries: pass after=${JSON.stringify(page.at(-1)!.replace(/\/$/, ''))} to continue]` : '';
  return ok(`${page.join('\n')}${more}`);
}
