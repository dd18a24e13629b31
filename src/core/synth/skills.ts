/**
 * Skills in OpenClaw's format: a folder per skill holding SKILL.md, whose YAML front matter has
 * `name`, `description` and an optional single-line JSON `metadata`; the body says how to use it.
 * ClawGym bundles a small set of its own (data/skills/); a user's folder can replace it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors.js';

export const SkillFrontMatter = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/i, 'letters, digits, "-" or "_"'),
  description: z.string().min(1),
  metadata: z.unknown().optional(),
});

export interface Skill {
  name: string;
  description: string;
  metadata?: unknown;
  /** The whole SKILL.md text, as the agent will see it. */
  text: string;
  dir: string;
}

/** The bundled skills: beside this module in the sources, beside the bundle in dist/ (copied by the build). */
export function bundledSkillsDir(): string {
  return fileURLToPath(new URL('./data/skills', import.meta.url));
}

export function parseSkill(text: string, file: string): Omit<Skill, 'dir'> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) throw new UsageError(`${file}: no YAML front matter (--- name, description ---)`);
  let raw: unknown;
  try {
    raw = parseYaml(m[1]!);
  } catch (e) {
    throw new UsageError(`${file}: front matter is not YAML: ${(e as Error).message}`);
  }
  const r = SkillFrontMatter.safeParse(raw);
  if (!r.success) throw new UsageError(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  let metadata = r.data.metadata;
  // OpenClaw writes metadata as one line of JSON; YAML reads it as a string.
  if (typeof metadata === 'string') {
    try {
      metadata = JSON.parse(metadata);
    } catch {
      /* kept as text */
    }
  }
  return { name: r.data.name, description: r.data.description, ...(metadata === undefined ? {} : { metadata }), text };
}

/** Every `<dir>/<skill>/SKILL.md` (or `<dir>/SKILL.md` itself), sorted by name; names must be unique. */
export function loadSkills(dir: string): Skill[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder of skills`);
  const folders = existsSync(join(dir, 'SKILL.md')) ? [dir] : readdirSync(dir).sort().map((n) => join(dir, n)).filter((d) => existsSync(join(d, 'SKILL.md')));
  const skills = folders.map((d) => ({ ...parseSkill(readFileSync(join(d, 'SKILL.md'), 'utf8'), join(d, 'SKILL.md')), dir: d }));
  const names = new Set<string>();
  for (const s of skills) {
    if (names.has(s.name)) throw new UsageError(`${dir}: two skills are named ${s.name}`);
    names.add(s.name);
  }
  if (!skills.length) throw new UsageError(`${dir}: no <skill>/SKILL.md found`);
  return skills.sort((a, b) => (a.name < b.name ? -1 : 1));
}
