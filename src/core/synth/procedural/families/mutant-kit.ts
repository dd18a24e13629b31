/**
 * Helpers for a family's rules and mutant solutions: wrong mutants are the oracle with one rule
 * switched off (the family builds its oracle from a set of ignored rule ids), variants are the
 * oracle followed by a rewrite of its output that the instruction allows (line endings, JSON
 * layout, CSV quoting). The rewrites are stdlib Python, like the oracles.
 */

import type { Mutant, Rule } from '../family.js';

export type KitRule = Rule;
export type KitMutant = Mutant;
/** The fields a family with mutants fills in (optional in FamilyOutput while families are retrofitted). */
export interface KitExtras {
  rules: Rule[];
  mutants: Mutant[];
}

/** One wrong mutant per rule: the oracle built with that rule ignored. */
export function ruleMutants(rules: readonly KitRule[], oracle: (ignore: ReadonlySet<string>) => string): KitMutant[] {
  return rules.map((r) => ({ id: `ignore-${r.id}`, kind: 'wrong', rule: r.id, description: `the oracle without the rule: ${r.text}`, solution: oracle(new Set([r.id])) }));
}

export function shortcutMutant(id: string, shortcut: string, solution: string): KitMutant {
  return { id, kind: 'wrong', shortcut, description: shortcut, solution };
}

/** A variant: the oracle, then `post` (bash) rewriting its output in a way the instruction allows. */
export function variantMutant(id: string, description: string, oracle: string, post: string): KitMutant {
  return { id, kind: 'variant', description, solution: `${oracle.trimEnd()}\n${post.trim()}\n` };
}

const py = (body: string) => `python3 - <<'PY'\n${body.trim()}\nPY`;

/** Rewrite text files with CRLF line endings. */
export function crlf(paths: readonly string[]): string {
  return py(`
for p in ${JSON.stringify(paths)}:
    t = open(p, encoding="utf-8", newline="").read()
    open(p, "w", encoding="utf-8", newline="").write(t.replace("\\r\\n", "\\n").replace("\\n", "\\r\\n"))
`);
}

/** Drop the final newline of text files. */
export function noFinalNewline(paths: readonly string[]): string {
  return py(`
for p in ${JSON.stringify(paths)}:
    t = open(p, encoding="utf-8", newline="").read()
    open(p, "w", encoding="utf-8", newline="").write(t.rstrip("\\n"))
`);
}

/** Re-dump JSON files with another layout (indent 4, keys sorted) and, optionally, extra top-level fields. */
export function jsonRelayout(paths: readonly string[], extra: Record<string, unknown> = {}): string {
  return py(`
import json
for p in ${JSON.stringify(paths)}:
    v = json.load(open(p, encoding="utf-8"))
    if isinstance(v, dict):
        v.update(json.loads(${JSON.stringify(JSON.stringify(extra))}))
    open(p, "w", encoding="utf-8").write(json.dumps(v, indent=4, sort_keys=True, ensure_ascii=False) + "\\n")
`);
}

/** Re-write CSV files with every field quoted and CRLF line endings. */
export function csvQuoteAll(paths: readonly string[]): string {
  return py(`
import csv
for p in ${JSON.stringify(paths)}:
    rows = list(csv.reader(open(p, encoding="utf-8", newline="")))
    with open(p, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\\r\\n").writerows(rows)
`);
}

/** Python literal True/False: is rule `id` applied (stated at this difficulty and not ignored)? */
export function on(ignore: ReadonlySet<string>, id: string, stated = true): 'True' | 'False' {
  return stated && !ignore.has(id) ? 'True' : 'False';
}
