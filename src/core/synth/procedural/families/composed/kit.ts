/**
 * Shared bits of the composed families: tasks that chain several operations (merge → dedupe →
 * summarise → update; triage → patch → re-run → write up) over a messy workspace. A family
 * computes its ground truth once and derives from it the checks, the oracle and its mutants (the
 * oracle with one stated rule ignored, an easy shortcut, or an acceptable variant), so every
 * wrong answer is the right one with exactly one thing done differently.
 */
import type { FamilyContext, FamilyOutput, Mutant, Rule } from '../../family.js';
export type { Mutant, Rule } from '../../family.js';
import { voiced } from '../../family.js';
import type { Rng } from '../../../../rng.js';
import { heredoc } from '../pykit.js';

/** A composed family always states its rules and ships mutants. */
export interface ComposedOutput extends FamilyOutput {
  rules: Rule[];
  mutants: Mutant[];
}

/** A bash script: strict mode, then the steps. */
export function sh(...steps: string[]): string {
  return `#!/usr/bin/env bash\nset -euo pipefail\n${steps.filter(Boolean).join('')}`;
}

/** Write one file (its folder made first). */
export function put(path: string, body: string): string {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  return `${dir ? `mkdir -p '${dir}'\n` : ''}${heredoc(`'${path}'`, body)}`;
}

/** Write several files. */
export function putAll(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([p, b]) => put(p, b))
    .join('');
}

/** Run a Python program (stdlib only). */
export function py(code: string): string {
  let marker = 'PY';
  while (code.includes(`\n${marker}\n`)) marker += '_';
  return `python3 - <<'${marker}'\nimport csv, json, os, re, sys\n${code.trim()}\n${marker}\n`;
}

export function json(v: unknown, indent = 2): string {
  return `${JSON.stringify(v, null, indent)}\n`;
}

export function wrong(id: string, rule: string, description: string, solution: string): Mutant {
  return { id, kind: 'wrong', rule, description, solution };
}

export function shortcut(id: string, what: string, solution: string): Mutant {
  return { id, kind: 'wrong', shortcut: what, description: what, solution };
}

export function variant(id: string, description: string, solution: string): Mutant {
  return { id, kind: 'variant', description, solution };
}

/** A CSV cell/line, quoted when needed. */
export function cell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function csvOf(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, sep = ','): string {
  return [header, ...rows].map((r) => r.map((c) => (sep === ',' ? cell(c) : String(c))).join(sep)).join('\n') + '\n';
}

/** Whole cents → "1234.50". */
export function cents2(c: number): string {
  const s = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${s}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
/** Whole cents → "1,234.50". */
export function centsUs(c: number): string {
  const [i, f] = cents2(Math.abs(c)).split('.');
  return `${c < 0 ? '-' : ''}${i!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
}
/** Whole cents → "1.234,50" (German/EU). */
export function centsEu(c: number): string {
  return centsUs(c).replace(/[,.]/g, (m) => (m === ',' ? '.' : ','));
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');
export const iso = (y: number, m: number, d: number): string => `${y}-${pad2(m)}-${pad2(d)}`;
export function daysIn(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}
/** 0 = Monday … 6 = Sunday. */
export function dow(y: number, m: number, d: number): number {
  return (Math.floor(Date.UTC(y, m - 1, d) / 86_400_000) + 3) % 7;
}
/** Days since 1970-01-01 ⇄ [y, m, d]. */
export function dayNum(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}
export function fromDayNum(n: number): [number, number, number] {
  const t = new Date(n * 86_400_000);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Pick a phrasing and fill its `{slots}`. */
export function say(rng: Rng, alts: readonly string[], vars: Record<string, string | number> = {}): string {
  return rng.pick(alts).replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Code-point order (as Python's sort). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Distractor files a real folder has: a to-do list, a scratch note, an unrelated export. `n` of
 * them, under `root`, none of which any check reads.
 */
export function clutter(rng: Rng, n: number, root = ''): Record<string, string> {
  const pool: Array<[string, string]> = [
    ['notes/todo.md', '# To do\n\n- [ ] renew the domain before it lapses\n- [x] send the Q1 numbers to the accountant\n- [ ] book the offsite venue\n'],
    ['notes/scratch.txt', 'call back re: parking permits\nlaptop return — IT ticket 4471\n'],
    ['misc/team-lunch.csv', 'name,order\nsam,pad thai\nkai,green curry\n'],
    ['misc/wifi.txt', 'Guest network: visitors-5g (ask reception for the code)\n'],
    ['docs/onboarding.md', '# Onboarding\n\nAsk for repo access on day one. The handbook lives in the wiki.\n'],
    ['docs/style.md', '# House style\n\nSentence case for headings. No trailing whitespace.\n'],
    ['tmp/.keep', ''],
    ['misc/holidays.txt', 'office closed: 25 Dec, 26 Dec, 1 Jan\n'],
    ['notes/ideas.md', '# Ideas\n\n- automate the weekly export\n- a shared calendar for the rota\n'],
  ];
  const out: Record<string, string> = {};
  for (const [p, b] of rng.sample(pool, n)) out[root + p] = b;
  return out;
}

/** Check helpers: a json_path equality with a 0.005 tolerance for money. */
export function jsonEq(id: string, path: string, query: string, equals: unknown, weight = 1): { id: string; type: 'json_path'; path: string; query: string; equals: unknown; tolerance?: number; weight: number } {
  return { id, type: 'json_path', path, query, equals, ...(typeof equals === 'number' ? { tolerance: 0.005 } : {}), weight };
}

/** The instruction: the persona's greeting and ask, then the details as paragraphs. */
export function request(ctx: FamilyContext, ask: string, paragraphs: string[]): string {
  return voiced(ctx, ask, [paragraphs.filter(Boolean).join('\n\n')]);
}
