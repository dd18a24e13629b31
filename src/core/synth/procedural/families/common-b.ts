/** Shared bits for the batch-B families: template filling, oracle wrappers, name pools. All deterministic. */
import type { Rng } from '../../../rng.js';

/** Pick one template and fill its `{name}` slots. */
export function phrase(rng: Rng, templates: readonly string[], vars: Record<string, string | number> = {}): string {
  return rng.pick(templates).replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** An oracle solve.sh that runs one Python 3 program (stdlib only). */
export function pyOracle(body: string): string {
  return `#!/usr/bin/env bash\nset -euo pipefail\npython3 - <<'PY'\nimport csv, glob, hashlib, json, os, re, sys\n${body.trim()}\nPY\n`;
}

/** A Python expression that evaluates to `v` (the JSON text as a Python string literal). */
export function pyValue(v: unknown): string {
  return `json.loads(${JSON.stringify(JSON.stringify(v))})`;
}

/** A CSV line: fields with a comma, quote or newline are quoted. */
export function csvLine(cells: ReadonlyArray<string | number>): string {
  return cells
    .map((c) => {
      const s = String(c);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Minutes since midnight → HH:MM. */
export function hhmm(min: number): string {
  return `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;
}

/** Inline-code a list: `a`, `b` and `c`. */
export function codeList(xs: readonly string[]): string {
  const q = xs.map((x) => `\`${x}\``);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** Plain list: a, b and c. */
export function andList(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Days in a month (m 1–12). */
export function daysIn(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Day of week, 0 = Monday … 6 = Sunday (Zeller-free: days since a known Monday). */
export function weekday(y: number, m: number, d: number): number {
  let days = 0;
  for (let yy = 2000; yy < y; yy++) days += yy % 4 === 0 && (yy % 100 !== 0 || yy % 400 === 0) ? 366 : 365;
  for (let mm = 1; mm < m; mm++) days += daysIn(y, mm);
  days += d - 1;
  return (days + 5) % 7; // 2000-01-01 was a Saturday
}

export const TEAM_NAMES = ['atlas', 'borealis', 'cobalt', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper', 'kestrel', 'lumen', 'meridian', 'nimbus', 'onyx', 'pioneer', 'quartz', 'redwood', 'sierra', 'tundra', 'umber', 'vertex', 'willow', 'zephyr'];

export const HOST_PREFIXES = ['web', 'api', 'db', 'cache', 'worker', 'batch', 'edge', 'ingest', 'search', 'queue', 'build', 'mail'];

export const SHORT_NAMES = [
  'alice', 'bruno', 'chen', 'dana', 'emeka', 'fatima', 'gustav', 'hana', 'ivan', 'jun', 'kofi', 'lucia', 'mateo', 'nadia', 'omar', 'priya',
  'quentin', 'rosa', 'sven', 'tariq', 'uma', 'viktor', 'wen', 'ximena', 'yusuf', 'zoe', 'aisha', 'bjorn', 'carmen', 'dmitri', 'elena', 'farid',
];

/** One phrasing per item (each item lists its alternatives), with `{name}` slots filled. */
export function phraseEach(rng: Rng, items: ReadonlyArray<readonly string[]>, vars: Record<string, string | number> = {}): string[] {
  return items.map((alts) => phrase(rng, alts, vars));
}
