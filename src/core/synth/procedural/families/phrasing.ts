/** Instruction text: template filling, inline lists, slugs. All deterministic. */
import type { Rng } from '../../../rng.js';

/** Pick one template and fill its `{name}` slots. */
export function say(rng: Rng, templates: readonly string[], vars: Record<string, string | number> = {}): string {
  return fill(rng.pick(templates), vars);
}

/** One phrasing per item (each item lists its alternatives), with `{name}` slots filled. */
export function sayEach(rng: Rng, items: ReadonlyArray<readonly string[]>, vars: Record<string, string | number> = {}): string[] {
  return items.map((alts) => say(rng, alts, vars));
}

export function fill(t: string, vars: Record<string, string | number>): string {
  return t.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
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

/** A path-safe slug. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
