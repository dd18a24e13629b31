/**
 * Wrong solutions from the oracle itself: a family's Python oracle reads a `SKIP` set of rule ids
 * (empty in the oracle), and each wrong mutant is the same program with one rule switched off — so
 * a mutant differs from the oracle in exactly the rule it ignores, never in an unrelated slip.
 */

/** The line an oracle program starts with; `skipping` rewrites it. */
export const SKIP_LINE = 'SKIP = set()';

/** The oracle script with `ids` switched off (the script must contain SKIP_LINE once). */
export function skipping(oracle: string, ...ids: string[]): string {
  if (oracle.split(SKIP_LINE).length !== 2) throw new Error('rule-switches: the oracle has no single SKIP line');
  return oracle.replace(SKIP_LINE, `SKIP = {${ids.map((i) => JSON.stringify(i)).join(', ')}}`);
}

/** The oracle, then a Python program that rewrites its output (e.g. to make an acceptable variant). */
export function thenPython(script: string, body: string): string {
  return `${script.trimEnd()}\npython3 - <<'CLAWGYM_POST'\nimport csv, json, os, re, glob\n${body.trim()}\nCLAWGYM_POST\n`;
}
