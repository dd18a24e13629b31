/**
 * The persona bank: who asks for a task, and how they say it. The bundled bank is data
 * (data/personas.json); a user's jsonl (one persona a line) can replace it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import bundled from './data/personas.json' with { type: 'json' };

export const Persona = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string(),
  role: z.string(),
  /** Where they work or what they do, in a few words. */
  context: z.string(),
  /** How they write requests: e.g. terse, friendly, formal, detailed. */
  voice: z.enum(['terse', 'friendly', 'formal', 'detailed', 'hurried']),
  interests: z.array(z.string()).default([]),
});
export type Persona = z.infer<typeof Persona>;

export function bundledPersonas(): Persona[] {
  return z.array(Persona).parse(bundled);
}

/** A user's persona file: jsonl, one persona object a line; errors name the line. */
export function loadPersonasJsonl(file: string): Persona[] {
  const out: Persona[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        throw new UsageError(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
      const r = Persona.safeParse(raw);
      if (!r.success) throw new UsageError(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      out.push(r.data);
    });
  if (!out.length) throw new UsageError(`${file}: no personas`);
  return out;
}
