/** Shared bits for the batch-A families: phrasing helpers, oracle wrappers, name pools. All deterministic. */
import type { Rng } from '../../../rng.js';
import { cmp } from './common.js';

/** A wider name pool than common.ts, so workspaces vary across seeds. */
export const FIRST_A = [
  'Alice', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Gustav', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lucia', 'Mateo', 'Nadia', 'Omar', 'Priya',
  'Quentin', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aisha', 'Bjorn', 'Carmen', 'Dmitri', 'Elena', 'Farid',
  'Greta', 'Hiro', 'Ingrid', 'Jonas', 'Keiko', 'Leon', 'Maren', 'Nikhil', 'Olga', 'Pablo', 'Ravi', 'Sofia', 'Tomas', 'Valentina', 'Wanjiru', 'Yara',
];
export const LAST_A = [
  'Okafor', 'Schmidt', 'Tanaka', 'Garcia', 'Kowalski', 'Nguyen', 'Haddad', 'Silva', 'Johansson', 'Patel', 'Dubois', 'Rossi', 'Kim', 'Novak',
  'Moreau', 'Ali', 'Andersen', 'Bianchi', 'Costa', 'Deng', 'Eriksen', 'Fischer', 'Gomez', 'Hughes', 'Iyer', 'Jensen', 'Kaur', 'Larsen', 'Mensah',
  'Nakamura', 'Oyelaran', 'Petrov', 'Quispe', 'Reyes', 'Sato', 'Torres', 'Usman', 'Varga', 'Walsh', 'Yilmaz', 'Zhou',
];

export interface PersonA {
  first: string;
  last: string;
  full: string;
  handle: string;
}

/** `k` distinct people from the wide pool (distinct full names and handles). */
export function crowd(rng: Rng, k: number): PersonA[] {
  const seen = new Set<string>();
  const out: PersonA[] = [];
  let guard = 0;
  while (out.length < k && guard++ < 10_000) {
    const first = rng.pick(FIRST_A);
    const last = rng.pick(LAST_A);
    const full = `${first} ${last}`;
    if (seen.has(full) || out.some((p) => p.first === first && k <= 20)) continue;
    seen.add(full);
    out.push({ first, last, full, handle: `${first.toLowerCase()}.${last.toLowerCase()}` });
  }
  return out;
}

/** Pick one template and fill `{name}` slots. */
export function say(rng: Rng, templates: readonly string[], vars: Record<string, string | number> = {}): string {
  return fill(rng.pick(templates), vars);
}

export function fill(t: string, vars: Record<string, string | number>): string {
  return t.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A Python expression that evaluates to `v` (JSON string literals are valid Python literals). */
export function pyData(v: unknown): string {
  return `json.loads(${JSON.stringify(JSON.stringify(v))})`;
}

/** An oracle solve.sh running one Python program (stdlib only). */
export function pySolve(body: string): string {
  return `#!/usr/bin/env bash\nset -euo pipefail\npython3 - <<'PY'\nimport csv, json, os, re, math, glob\n${body.trim()}\nPY\n`;
}

/** A CSV line: fields with a comma, quote or newline are quoted. */
export function csvRow(cells: ReadonlyArray<string | number>): string {
  return cells
    .map((c) => {
      const s = String(c);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}

export function csvText(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return [csvRow(header), ...rows.map(csvRow)].join('\n') + '\n';
}

/** Sorted copy by code point order. */
export function sortedStr(xs: readonly string[]): string[] {
  return [...xs].sort(cmp);
}

/** Day of week (0 = Monday) for a Gregorian date. */
export function weekday(y: number, m: number, d: number): number {
  const t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const yy = m < 3 ? y - 1 : y;
  const sun0 = (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) + t[m - 1]! + d) % 7; // 0 = Sunday
  return (sun0 + 6) % 7;
}

export const DOW = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const MON3 = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function daysInMonth(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Add `n` days to a date. */
export function addDays(y: number, m: number, d: number, n: number): [number, number, number] {
  let [yy, mm, dd] = [y, m, d + n];
  while (dd > daysInMonth(yy, mm)) {
    dd -= daysInMonth(yy, mm);
    mm++;
    if (mm > 12) {
      mm = 1;
      yy++;
    }
  }
  while (dd < 1) {
    mm--;
    if (mm < 1) {
      mm = 12;
      yy--;
    }
    dd += daysInMonth(yy, mm);
  }
  return [yy, mm, dd];
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function hhmm(min: number): string {
  return `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;
}

/** A path-safe slug. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Quote a key for a json_path query. */
export function q(...keys: Array<string | number>): string {
  return '$' + keys.map((k) => (typeof k === 'number' ? `[${k}]` : `['${k}']`)).join('');
}
