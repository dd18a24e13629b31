/**
 * A procedural task family: a seeded generator of one kind of realistic task. From a seed, a
 * difficulty (1–5) and a persona it builds the workspace, the instruction (in the persona's
 * voice), exact checks computed from the ground truth it generated, and an oracle `solve.sh`.
 * Everything must come from `ctx.rng` (never Math.random, Date.now or the environment), so the
 * same seed gives byte-identical tasks.
 */
import type { z } from 'zod';
import type { Check } from '../../task/schema.js';
import type { Mutant, Rule } from '../../task/solutions.js';
import type { Persona, PersonaDomain } from '../personas.js';
import type { Rng } from '../../rng.js';
import { FIRST_NAMES } from './families/common.js';
import { WIDE_FIRST_NAMES } from './families/names.js';

/** ClawGym-Bench's six categories. */
export const BENCH_CATEGORIES = [
  'Productivity & Collaboration',
  'Systems & Automation',
  'Analysis & Reasoning',
  'Content & Domain',
  'Planning & Knowledge',
  'Software Dev',
] as const;
export type BenchCategory = (typeof BENCH_CATEGORIES)[number];

export type { Mutant, Rule } from '../../task/solutions.js';

export type Difficulty = 1 | 2 | 3 | 4 | 5;

export interface FamilyContext {
  rng: Rng;
  difficulty: Difficulty;
  persona: Persona;
}

/** A check as written in task.yaml (defaults such as weight may be left out). */
export type CheckInput = z.input<typeof Check>;

export interface FamilyOutput {
  title: string;
  instruction: string;
  /** Workspace files: relative path → content. */
  workspace: Record<string, string>;
  /** The oracle: a bash script run in the sandbox with the workspace as its working folder. */
  solution: string;
  /**
   * Prefer declarative checks: they verify in-process, without starting a sandbox. `nop` must
   * score exactly 0, so a check that also holds on the untouched workspace (file_unchanged, …)
   * gets weight 0: it is reported, not scored.
   */
  checks: CheckInput[];
  /**
   * Every rule the instruction states, each one the data exercises (an item whose answer changes
   * if the rule is ignored). Required of every family (the mutants test lists the few still
   * without in MUTANTS_PENDING).
   */
  rules?: Rule[];
  /**
   * Wrong solutions (each ignores one rule — at least one per rule — or takes an easy shortcut:
   * they must score < 1) and acceptable variants (at least one: they must score exactly 1).
   * Written to solution/mutants.json and solution/mutants/<id>.sh.
   */
  mutants?: Mutant[];
  /** Atomic operations from the taxonomy (../shared/reference/clawgym-taxonomy/operations.json). */
  operations?: string[];
  tags?: string[];
}

export interface Family {
  /** Stable id, part of every task id: lowercase words joined by "-". */
  id: string;
  /** Bumped when the generator's output changes, so a pool says which generator made it. */
  version: number;
  category: BenchCategory;
  subcategory: string;
  /** One line: what the tasks of this family ask for. */
  summary: string;
  /** Who would send this task (the persona is drawn from those); default: by category (CATEGORY_DOMAINS). */
  domains?: readonly PersonaDomain[];
  /**
   * The difficulties a pool draws this family's tasks from (one picked uniformly, so repeats
   * weight it); default 1–5. Composed families lean harder (see the README's difficulty mix).
   */
  difficultyMix?: readonly Difficulty[];
  generate(ctx: FamilyContext): FamilyOutput;
}

/** The persona domains a category's tasks fit, when a family does not say. */
export const CATEGORY_DOMAINS: Record<BenchCategory, readonly PersonaDomain[]> = {
  'Productivity & Collaboration': ['office'],
  'Systems & Automation': ['it-ops'],
  'Analysis & Reasoning': ['data', 'finance'],
  'Content & Domain': ['content'],
  'Planning & Knowledge': ['office', 'research'],
  'Software Dev': ['software'],
};

export function familyDomains(f: Family): readonly PersonaDomain[] {
  return f.domains ?? CATEGORY_DOMAINS[f.category];
}

/** Phrase a request in a persona's voice: a greeting, the request, detail lines (e.g. a bullet list), a closing. */
export function voiced(ctx: FamilyContext, ask: string, details: string[] = []): string {
  const p = ctx.persona;
  const r = ctx.rng;
  const openers: Record<Persona['voice'], string[]> = {
    terse: ['', `${p.name} here.`, 'Quick one.'],
    friendly: [`Hi! ${p.name} here.`, `Hey, it's ${p.name} —`, 'Hello there!'],
    formal: [`Good morning. This is ${p.name}, ${p.role}.`, `Dear assistant,`, `Hello, I am ${p.name} (${p.role}, ${p.context}).`],
    detailed: [`Hi, I'm ${p.name}, ${p.role} at ${p.context}.`, `Some context: I'm ${p.name}, working as ${p.role} at ${p.context}.`],
    hurried: ['Need this fast:', `${p.name} — urgent.`, 'In a rush, sorry.'],
  };
  const closers: Record<Persona['voice'], string[]> = {
    terse: ['', 'Thanks.'],
    friendly: ['Thanks so much!', 'You are a star, thank you!', 'Cheers!'],
    formal: ['Thank you in advance.', 'Kind regards.', 'Many thanks.'],
    detailed: ['Let me know if anything is unclear in the files.', 'Thanks — the details above should be all you need.'],
    hurried: ['Thanks!!', 'ASAP please.'],
  };
  const opener = r.pick(openers[p.voice]);
  // An opener that ends mid-sentence ("Hey, it's Ana —", "Dear assistant,") continues in lower case.
  const head = [opener, /[—,]$/.test(opener) ? continued(ask, p.name) : ask].filter(Boolean).join(' ');
  const closer = r.pick(closers[p.voice]);
  return `${head}${details.length ? `\n\n${details.join('\n')}` : ''}${closer ? `\n\n${closer}` : ''}\n`;
}

const NAMES = new Set([...FIRST_NAMES, ...WIDE_FIRST_NAMES]);

/** The ask as the rest of a sentence: its first word in lower case, unless it is "I", a name or an acronym. */
export function continued(ask: string, personaName: string): string {
  const m = /^([A-Z][a-z]*)(.?)/.exec(ask);
  if (!m) return ask;
  const [, word, next] = m as unknown as [string, string, string];
  if (word === 'I' && !/[a-z]/.test(next)) return ask;
  if (/[A-Z0-9]/.test(next) || NAMES.has(word) || word === personaName) return ask;
  return ask[0]!.toLowerCase() + ask.slice(1);
}
