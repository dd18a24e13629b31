/**
 * Deterministic checks evaluated on the host against the final workspace (read through
 * WorkspaceReader, so a symlink can never make a check read a host file).
 */
import { isDeepStrictEqual } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import type { Check } from '../task/schema.js';
import type { WorkspaceReader } from './files.js';
import { assistantTurns, toolCalls, type TranscriptEntry } from '../trace/transcript.js';

export interface Outcome {
  score: number;
  message: string;
  expected?: string;
  actual?: string;
}

export interface DeclarativeContext {
  ws: WorkspaceReader;
  /** Files the agent started with: relative path → reader of the original bytes. */
  original: () => Promise<Map<string, () => Promise<Buffer>>>;
  transcript: () => Promise<TranscriptEntry[]>;
  /** Top-level workspace folders that hold hidden verifier files (ignored by no_unexpected_files). */
  hiddenDirs: ReadonlySet<string>;
}

type Of<T extends Check['type']> = Extract<Check, { type: T }>;
type Evaluator<T extends Check['type']> = (c: Of<T>, ctx: DeclarativeContext) => Promise<Outcome>;

const MAX_SHOWN = 2000;
export function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}… (${s.length} chars)` : s;
}

const binary = (ok: boolean, message: string, expected?: unknown, actual?: unknown): Outcome => ({
  score: ok ? 1 : 0,
  message,
  expected: expected === undefined ? undefined : show(expected),
  actual: actual === undefined ? undefined : show(actual),
});

type Norm = { case?: boolean; whitespace?: boolean; trailing_newline?: boolean } | undefined;
export function normalizeText(s: string, n: Norm): string {
  let t = s.replace(/\r\n/g, '\n');
  if (n?.trailing_newline !== false) t = t.replace(/\n$/, '');
  if (n?.whitespace) t = t.replace(/\s+/g, ' ').trim();
  if (n?.case) t = t.toLowerCase();
  return t;
}

async function textOf(ctx: DeclarativeContext, path: string): Promise<{ text: string } | Outcome> {
  const r = await ctx.ws.readText(path);
  return r.ok ? { text: r.text } : { score: 0, message: r.reason, actual: 'missing' };
}

/** `$.a.b[0]['c d']` → ['a','b',0,'c d']. */
export function parseQuery(q: string): Array<string | number> {
  const src = q.trim().replace(/^\$/, '');
  const out: Array<string | number> = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    m = re.exec(src);
    if (!m) throw new Error(`cannot parse query "${q}" at "${src.slice(pos)}"`);
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4])!));
    pos = re.lastIndex;
  }
  return out;
}

function lookup(root: unknown, path: Array<string | number>): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return { found: false };
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return { found: true, value: cur };
}

function assertValue(c: Of<'json_path'> | Of<'yaml_path'>, data: unknown): Outcome {
  let path: Array<string | number>;
  try {
    path = parseQuery(c.query);
  } catch (e) {
    return { score: 0, message: (e as Error).message };
  }
  const { found, value } = lookup(data, path);
  if (c.exists === false) return binary(!found, found ? `${c.query} exists` : `${c.query} is absent`, 'absent', found ? value : 'absent');
  if (!found) return binary(false, `${c.query} not found`, c.equals ?? 'a value', 'not found');
  const failures: string[] = [];
  if (c.equals !== undefined) {
    const ok =
      typeof c.equals === 'number' && typeof value === 'number'
        ? Math.abs(c.equals - value) <= (c.tolerance ?? 1e-9)
        : isDeepStrictEqual(value, c.equals);
    if (!ok) failures.push(`expected ${show(c.equals)}`);
  }
  if (c.matches !== undefined && !new RegExp(c.matches).test(typeof value === 'string' ? value : JSON.stringify(value))) {
    failures.push(`does not match /${c.matches}/`);
  }
  if (c.contains !== undefined) {
    const ok = Array.isArray(value)
      ? value.some((v) => isDeepStrictEqual(v, c.contains))
      : typeof value === 'string' && value.includes(String(c.contains));
    if (!ok) failures.push(`does not contain ${show(c.contains)}`);
  }
  if (c.min !== undefined && !(typeof value === 'number' && value >= c.min)) failures.push(`below ${c.min}`);
  if (c.max !== undefined && !(typeof value === 'number' && value <= c.max)) failures.push(`above ${c.max}`);
  const expected = c.equals ?? c.contains ?? c.matches ?? [c.min, c.max].filter((x) => x !== undefined).join('..');
  return binary(!failures.length, failures.length ? `${c.query}: ${failures.join('; ')}` : `${c.query} as expected`, expected, value);
}

function splitLines(text: string): string[] {
  if (!text) return [];
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}

const evaluators: { [T in Check['type']]?: Evaluator<T> } = {
  async file_exists(c, ctx) {
    const ok = await ctx.ws.exists(c.path);
    return binary(ok, ok ? `${c.path} exists` : `${c.path} is missing`, 'exists', ok ? 'exists' : 'missing');
  },
  async file_absent(c, ctx) {
    const r = await ctx.ws.resolve(c.path);
    const present = 'path' in r;
    return binary(!present, present ? `${c.path} should not exist` : `${c.path} is absent`, 'absent', present ? 'exists' : 'absent');
  },
  async file_unchanged(c, ctx) {
    const orig = (await ctx.original()).get(c.path);
    if (!orig) return { score: 0, message: `${c.path} is not in the task's starting workspace` };
    const now = await ctx.ws.read(c.path);
    if (!now.ok) return binary(false, now.reason, 'unchanged', 'missing');
    const same = now.data.equals(await orig());
    return binary(same, same ? `${c.path} is unchanged` : `${c.path} was modified`, 'unchanged', same ? 'unchanged' : 'modified');
  },
  async text_contains(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    const hay = normalizeText(t.text, c.normalize);
    const needles = Array.isArray(c.text) ? c.text : [c.text];
    const missing = needles.filter((n) => !hay.includes(normalizeText(n, c.normalize)));
    return {
      score: (needles.length - missing.length) / needles.length,
      message: missing.length ? `${c.path} lacks ${missing.map((m) => JSON.stringify(m)).join(', ')}` : `${c.path} contains all ${needles.length}`,
      expected: show(needles),
      actual: missing.length ? `missing: ${show(missing)}` : 'all present',
    };
  },
  async text_not_contains(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    const hay = normalizeText(t.text, c.normalize);
    const found = (Array.isArray(c.text) ? c.text : [c.text]).filter((n) => hay.includes(normalizeText(n, c.normalize)));
    return binary(!found.length, found.length ? `${c.path} contains ${show(found)}` : `${c.path} contains none`, 'none', found.length ? found : 'none');
  },
  async text_matches(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    const m = new RegExp(c.pattern, c.flags).exec(t.text);
    return binary(!!m, m ? `${c.path} matches` : `${c.path} does not match /${c.pattern}/${c.flags}`, `/${c.pattern}/${c.flags}`, m ? m[0] : t.text);
  },
  async text_equals(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    const a = normalizeText(t.text, c.normalize);
    const e = normalizeText(c.text, c.normalize);
    return binary(a === e, a === e ? `${c.path} equals the expected text` : `${c.path} differs from the expected text`, e, a);
  },
  async json_path(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    let data: unknown;
    try {
      data = JSON.parse(t.text);
    } catch (e) {
      return { score: 0, message: `${c.path} is not valid JSON: ${(e as Error).message}` };
    }
    return assertValue(c, data);
  },
  async yaml_path(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    let data: unknown;
    try {
      data = parseYaml(t.text);
    } catch (e) {
      return { score: 0, message: `${c.path} is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
    }
    return assertValue(c, data);
  },
  async csv(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    let rows: string[][];
    try {
      rows = parseCsv(t.text, { delimiter: c.delimiter, skip_empty_lines: true, relax_column_count: true, bom: true });
    } catch (e) {
      return { score: 0, message: `${c.path} is not valid CSV: ${(e as Error).message}` };
    }
    const header = rows[0] ?? [];
    const data = rows.slice(1);
    const results: Array<{ ok: boolean; what: string }> = [];
    if (c.columns) results.push({ ok: isDeepStrictEqual(header.map((h) => h.trim()), c.columns), what: `columns ${show(c.columns)} (got ${show(header)})` });
    if (c.row_count !== undefined) results.push({ ok: data.length === c.row_count, what: `${c.row_count} rows (got ${data.length})` });
    for (const cell of c.cells ?? []) {
      const col = header.findIndex((h) => h.trim() === cell.column);
      const got = col < 0 ? undefined : data[cell.row]?.[col]?.trim();
      const ok =
        got !== undefined &&
        // An empty cell is no number (Number('') would read it as 0).
        (typeof cell.equals === 'number' ? got !== '' && Math.abs(Number(got) - cell.equals) < 1e-9 : got === cell.equals);
      results.push({ ok, what: `row ${cell.row} ${cell.column} = ${show(cell.equals)} (got ${show(got ?? 'missing')})` });
    }
    if (c.sorted_by) {
      const col = header.findIndex((h) => h.trim() === c.sorted_by!.column);
      const vals = data.map((r) => r[col]?.trim() ?? '');
      const cmp = (a: string, b: string) => (c.sorted_by!.numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);
      const sign = c.sorted_by.order === 'asc' ? 1 : -1;
      const ok = col >= 0 && vals.every((v, i) => i === 0 || sign * cmp(vals[i - 1]!, v) <= 0);
      results.push({ ok, what: `sorted by ${c.sorted_by.column} ${c.sorted_by.order}` });
    }
    if (!results.length) return { score: 1, message: `${c.path} is valid CSV` };
    const failed = results.filter((r) => !r.ok);
    return {
      score: (results.length - failed.length) / results.length,
      message: failed.length ? `${c.path}: ${failed.map((f) => f.what).join('; ')}` : `${c.path}: all ${results.length} assertions hold`,
      expected: results.map((r) => r.what.replace(/ \(got .*\)$/, '')).join('; '),
      actual: failed.length ? `${failed.length} of ${results.length} failed` : 'all hold',
    };
  },
  async line_count(c, ctx) {
    const t = await textOf(ctx, c.path);
    if (!('text' in t)) return t;
    const n = splitLines(t.text).length;
    const ok = (c.equals === undefined || n === c.equals) && (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
    const expected = c.equals ?? `${c.min ?? 0}..${c.max ?? '∞'}`;
    return binary(ok, `${c.path} has ${n} lines`, expected, n);
  },
  async no_unexpected_files(c, ctx) {
    const orig = await ctx.original();
    const allowed = picomatch(c.allow.length ? c.allow : ['\0none'], { dot: true });
    const extra = (await ctx.ws.list(ctx.hiddenDirs)).filter((p) => !orig.has(p) && !allowed(p));
    return binary(!extra.length, extra.length ? `${extra.length} unexpected file(s)` : 'no unexpected files', `only ${show(c.allow)}`, extra.length ? extra.slice(0, 20) : 'none');
  },
  async tool_used(c, ctx) {
    const n = toolCalls(await ctx.transcript()).filter((t) => t.name === c.tool).length;
    return binary(n >= c.min, `${c.tool} called ${n} time(s)`, `≥ ${c.min}`, n);
  },
  async turn_count(c, ctx) {
    const n = assistantTurns(await ctx.transcript());
    const ok = (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
    return binary(ok, `${n} assistant turn(s)`, `${c.min ?? 0}..${c.max ?? '∞'}`, n);
  },
};

export function isDeclarative(c: Check): boolean {
  return c.type in evaluators;
}

export async function evaluateDeclarative(c: Check, ctx: DeclarativeContext): Promise<Outcome> {
  const ev = evaluators[c.type] as Evaluator<typeof c.type> | undefined;
  if (!ev) throw new Error(`${c.type} is not a declarative check`);
  return ev(c as never, ctx);
}
