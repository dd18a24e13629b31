/**
 * read, write and edit, each executed inside the sandbox (a small bash script per call) so the
 * agent reaches exactly what a command it ran could reach: the workspace, /tmp, nothing of the host.
 */
import { expandHome, runTool, type ToolEnv } from './tool-env.js';
import type { EditArgs, ReadArgs, WriteArgs } from './tools.js';
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

export async function editTool(env: ToolEnv, a: EditArgs): Promise<ToolOutput> {
  const path = expandHome(a.path);
  const r = await runTool(env, ['bash', '-c', CAT_SCRIPT, 'edit', path], { timeoutMs: 30_000, outputBytes: EDIT_LIMIT + 1 });
  if (r.exitCode !== 0) return fail(problem(r.exitCode, a.path, r.stderr, r.timedOut));
  if (r.stdoutBytes > EDIT_LIMIT) return fail(`${a.path} is larger than ${EDIT_LIMIT >> 20} MB: edit it with exec instead`);
  const text = r.stdout;
  const first = text.indexOf(a.oldText);
  if (first < 0) return fail(`Could not find the text to replace in ${a.path}. oldText must match exactly, including whitespace and line breaks.`);
  let count = 0;
  for (let i = first; i >= 0; i = text.indexOf(a.oldText, i + a.oldText.length)) count++;
  if (count > 1) return fail(`Found ${count} occurrences of oldText in ${a.path}. It must be unique: include more surrounding context.`);
  const next = text.slice(0, first) + a.newText + text.slice(first + a.oldText.length);
  if (next === text) return fail(`No change: newText is the same as oldText in ${a.path}.`);
  // `cat >` truncates in place: the file keeps its mode and owner.
  const w = await runTool(env, ['bash', '-c', 'cat > "$1"', 'edit', path], { stdin: next, timeoutMs: 60_000 });
  if (w.exitCode !== 0) return { ...fail(problem(w.exitCode, a.path, w.stderr, w.timedOut)), mutated: true };
  return ok(`Successfully replaced text in ${a.path}.`, true);
}
