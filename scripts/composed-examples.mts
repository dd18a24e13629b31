/**
 * Writes the composed-workflow examples in examples/tasks/ from the procedural generator:
 * `node --import tsx scripts/composed-examples.ts`. The output is committed; rerunning it
 * rewrites the same bytes (fixed seed, difficulty and persona per example).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bundledPersonas } from '../src/core/synth/personas.js';
import { COMPOSED_FAMILIES } from '../src/core/synth/procedural/families/composed/index.js';
import type { Difficulty } from '../src/core/synth/procedural/family.js';
import { proceduralTask, writeTaskFolder } from '../src/core/synth/procedural/generate.js';

const EXAMPLES: Array<{ family: string; seed: number; difficulty: Difficulty; persona: string }> = [
  { family: 'ledger-report-fix', seed: 7, difficulty: 4, persona: 'robert-cfo' },
  { family: 'incident-config-fix', seed: 7, difficulty: 3, persona: 'lena-sre' },
  { family: 'card-spend-dashboard', seed: 7, difficulty: 3, persona: 'maya-ops-lead' },
];

const root = join(import.meta.dirname, '..', 'examples', 'tasks');
const personas = bundledPersonas();
for (const e of EXAMPLES) {
  const family = COMPOSED_FAMILIES.find((f) => f.id === e.family)!;
  const persona = personas.find((p) => p.id === e.persona)!;
  const t = proceduralTask(0, { seed: e.seed, personas: [persona], families: [family], difficulties: [e.difficulty] });
  const id = `composed-${e.family}`;
  // Bundled examples are reviewed ones, like the hand-written examples beside them.
  t.spec = { ...t.spec, id, tags: [...(t.spec.tags ?? []), 'example'], review: { status: 'accepted' } };
  const dir = join(root, id);
  await rm(dir, { recursive: true, force: true });
  await writeTaskFolder(dir, t);
  console.log(`${id}: ${Object.keys(t.workspace).length} files, ${t.mutants.mutants.length} mutants`);
}
