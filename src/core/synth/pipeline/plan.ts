/**
 * What each draft is about, decided before any model call and only from (seed, index): draft i of
 * a pool is always the same persona × scenario × operations (persona route) or the same primary
 * and supporting skills (skill route). A rerun therefore asks for exactly the drafts it asked for
 * before, and the stage store can skip the finished ones.
 */
import type { Persona } from '../personas.js';
import { mix32, Rng } from '../../rng.js';
import type { Skill } from '../skills.js';
import { atomicOperations, type Taxonomy } from '../taxonomy.js';
import type { PersonaPlan } from './prompts.js';

export function draftId(route: string, seed: number, i: number): string {
  return `${route}-s${seed >>> 0}-${String(i).padStart(5, '0')}`;
}

export function personaPlan(i: number, seed: number, personas: readonly Persona[], tax: Taxonomy): PersonaPlan {
  const rng = new Rng(mix32(mix32(seed >>> 0, 0x7e450), i));
  const scen = rng.pick(tax.scenarios);
  return {
    id: draftId('persona', seed, i),
    persona: rng.pick(personas),
    category: scen.category,
    subcategory: rng.pick(scen.subcategories),
    operations: rng.sample(atomicOperations(tax), rng.int(2, 4)),
  };
}

export interface SkillChoice {
  id: string;
  persona: Persona;
  primary: Skill;
  supporting: Skill[];
}

/** Primary skills take turns (in a seeded order) so every usable skill leads some tasks. */
export function skillPlan(i: number, seed: number, personas: readonly Persona[], usable: readonly Skill[]): SkillChoice {
  const order = new Rng(mix32(seed >>> 0, 0x5c111)).shuffle(usable);
  const rng = new Rng(mix32(mix32(seed >>> 0, 0x5c112), i));
  const primary = order[i % order.length]!;
  const others = usable.filter((s) => s.name !== primary.name);
  return { id: draftId('skill', seed, i), persona: rng.pick(personas), primary, supporting: rng.sample(others, Math.min(others.length, rng.int(1, 2))) };
}
