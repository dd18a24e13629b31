/**
 * A task's solutions beyond the oracle: the rules its instruction states and mutant solutions —
 * `wrong` ones (each ignores one rule, or takes an easy shortcut) that must score below 1, and
 * acceptable `variant`s (other whitespace, order, number format…) that must score exactly 1. They
 * show that the checks tell a right answer from a plausible wrong one, and do not demand more than
 * the instruction asks. The one place that reads and writes them in a native task folder:
 *
 *   solution/solve.sh            the oracle
 *   solution/mutants.json        {"rules": [{id, text}], "mutants": [{id, kind, rule?, shortcut?, description}]}
 *   solution/mutants/<id>.sh     each mutant's script, run like the oracle (workspace as cwd)
 *
 * A task without mutants.json has no mutants.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TaskLoadError } from '../errors.js';
import { listFileSet } from './fileset.js';
import { parseYamlDoc, positionOf, validateDoc } from './positions.js';
import type { Task } from './task.js';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase words joined by "-"');

export const Rule = z
  .object({
    id: kebab,
    /** The rule as the instruction states it. */
    text: z.string().min(1),
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

/** A mutant as mutants.json lists it (its script lives beside, in mutants/<id>.sh). */
export const MutantEntry = z
  .object({
    /** Unique in the task. */
    id: kebab,
    /** wrong: must score < 1; variant: must score exactly 1. */
    kind: z.enum(['wrong', 'variant']),
    /** wrong: the id of the rule it ignores (absent for a shortcut). */
    rule: kebab.optional(),
    /** wrong without a rule: the easy shortcut it takes, in one line. */
    shortcut: z.string().min(1).optional(),
    /** What it does differently (for a variant: what differs and why that is still right). */
    description: z.string().min(1),
  })
  .strict();
export type MutantEntry = z.infer<typeof MutantEntry>;

export const Mutant = MutantEntry.extend({
  /** A bash script, like the oracle, run in the sandbox with the workspace as its working folder. */
  solution: z.string().min(1),
}).strict();
export type Mutant = z.infer<typeof Mutant>;

/** The consistency rules both the file and a family's output must meet. */
function refineMutants(v: { rules: Rule[]; mutants: MutantEntry[] }, ctx: z.RefinementCtx): void {
  const ruleIds = new Set<string>();
  v.rules.forEach((r, i) => {
    if (ruleIds.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${r.id}" appears twice` });
    ruleIds.add(r.id);
  });
  const ids = new Set<string>();
  v.mutants.forEach((m, i) => {
    if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['mutants', i, 'id'], message: `mutant id "${m.id}" appears twice` });
    ids.add(m.id);
    if (m.kind === 'variant' && (m.rule !== undefined || m.shortcut !== undefined)) ctx.addIssue({ code: 'custom', path: ['mutants', i], message: 'a variant ignores no rule and takes no shortcut: drop "rule" and "shortcut"' });
    if (m.kind === 'wrong' && m.rule === undefined && m.shortcut === undefined) ctx.addIssue({ code: 'custom', path: ['mutants', i], message: 'a wrong mutant names the rule it ignores ("rule") or the shortcut it takes ("shortcut")' });
    if (m.kind === 'wrong' && m.rule !== undefined && m.shortcut !== undefined) ctx.addIssue({ code: 'custom', path: ['mutants', i], message: 'a wrong mutant either ignores a rule or takes a shortcut, not both' });
    if (m.rule !== undefined && !ruleIds.has(m.rule)) ctx.addIssue({ code: 'custom', path: ['mutants', i, 'rule'], message: `no rule "${m.rule}" in "rules"` });
  });
}

/** solution/mutants.json. */
export const MutantsFile = z
  .object({ rules: z.array(Rule), mutants: z.array(MutantEntry) })
  .strict()
  .superRefine(refineMutants);
export type MutantsFile = z.infer<typeof MutantsFile>;

/** Rules and mutants with their scripts, as a family produces them and a task folder holds them. */
export const TaskMutants = z
  .object({ rules: z.array(Rule), mutants: z.array(Mutant) })
  .strict()
  .superRefine(refineMutants);
export type TaskMutants = z.infer<typeof TaskMutants>;

export const MUTANTS_FILE = 'mutants.json';
export const MUTANTS_DIR = 'mutants';

/** Write mutants.json and mutants/<id>.sh into a solution folder (nothing when there are no rules and no mutants). */
export async function writeMutants(solutionDir: string, m: TaskMutants): Promise<void> {
  if (!m.rules.length && !m.mutants.length) return;
  const file: MutantsFile = { rules: m.rules, mutants: m.mutants.map(({ solution: _, ...entry }) => entry) };
  await writeFile(join(solutionDir, MUTANTS_FILE), `${JSON.stringify(file, null, 2)}\n`);
  if (!m.mutants.length) return;
  await mkdir(join(solutionDir, MUTANTS_DIR), { recursive: true });
  for (const x of m.mutants) {
    const f = join(solutionDir, MUTANTS_DIR, `${x.id}.sh`);
    await writeFile(f, x.solution);
    await chmod(f, 0o755);
  }
}

/**
 * A task's rules and mutants (undefined: it has no solution/mutants.json). A malformed file, or
 * a mutant without its script, is a TaskLoadError with file:line:column.
 */
export async function readMutants(task: Task): Promise<TaskMutants | undefined> {
  if (!task.solution) return undefined;
  const files = await listFileSet(task.solution);
  const meta = files.find((f) => f.path === MUTANTS_FILE);
  if (!meta) return undefined;
  const where = task.solution.kind === 'dir' ? join(task.solution.root, MUTANTS_FILE) : `${task.source} (solution/${MUTANTS_FILE})`;
  const text = (s: { from?: string; content?: string | Uint8Array }) => (s.content !== undefined ? Promise.resolve(typeof s.content === 'string' ? s.content : Buffer.from(s.content).toString('utf8')) : readFile(s.from!, 'utf8'));
  const pd = parseYamlDoc(await text(meta), where);
  const parsed = validateDoc(pd, MutantsFile);
  const mutants: Mutant[] = [];
  for (const [i, m] of parsed.mutants.entries()) {
    const script = files.find((f) => f.path === `${MUTANTS_DIR}/${m.id}.sh`);
    if (!script) throw new TaskLoadError([{ ...positionOf(pd, ['mutants', i, 'id']), message: `mutants.${i}: no script ${MUTANTS_DIR}/${m.id}.sh beside ${MUTANTS_FILE}` }]);
    mutants.push({ ...m, solution: await text(script) });
  }
  return { rules: parsed.rules, mutants };
}
