/** Shared bits for families: names, dates, money. All deterministic. */
import type { Rng } from '../../../rng.js';

export const FIRST_NAMES = ['Alice', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Gustav', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lucia', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'];
export const LAST_NAMES = ['Okafor', 'Schmidt', 'Tanaka', 'Garcia', 'Kowalski', 'Nguyen', 'Haddad', 'Silva', 'Johansson', 'Patel', 'Dubois', 'Rossi', 'Kim', 'Novak', 'Moreau', 'Ali'];

/** Code-point order, as Python's sort: locale-independent, so checks and oracles agree. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Money is kept as whole cents (integers add exactly); these turn it into what files show. */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export function dollars(cents: number): number {
  return cents / 100;
}

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function person(rng: Rng): { first: string; last: string; full: string; handle: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return { first, last, full: `${first} ${last}`, handle: `${first.toLowerCase()}.${last.toLowerCase()}` };
}

/** `k` distinct people. */
export function people(rng: Rng, k: number): Array<ReturnType<typeof person>> {
  const seen = new Set<string>();
  const out: Array<ReturnType<typeof person>> = [];
  while (out.length < k) {
    const p = person(rng);
    if (seen.has(p.full)) continue;
    seen.add(p.full);
    out.push(p);
  }
  return out;
}

/** Sorted copy in code-point order. */
export function sortedStr(xs: readonly string[]): string[] {
  return [...xs].sort(cmp);
}
