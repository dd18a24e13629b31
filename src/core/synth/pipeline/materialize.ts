/**
 * Materialize a draft as a native task folder: task.yaml, workspace/ (plus the skills the task is
 * grounded in, under workspace/skills/), solution/solve.sh and, with a check_py, tests/check.py.
 * Written in a staging folder and renamed into place, so a folder is either whole or absent.
 */
import { chmod, cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ClawgymError } from '../../errors.js';
import { safeRelPath } from '../../task/fileset.js';
import { taskYaml } from '../../task/save.js';
import { TaskSpec, type Rubric } from '../../task/schema.js';
import type { Skill } from '../skills.js';
import type { Draft, VerifierAnswer } from './schemas.js';

export interface TaskMeta {
  id: string;
  route: 'persona' | 'skill';
  category: string;
  subcategory?: string;
  operations: string[];
  persona: string;
  skills?: Skill[];
  model: string;
  seed: number;
}

export const CHECK_PY_ID = 'check_py';

export function taskSpecOf(meta: TaskMeta, d: Draft, v: VerifierAnswer | undefined, rubric?: Rubric): TaskSpec {
  const checks = [...(v?.checks ?? [])];
  if (v?.check_py?.trim()) checks.push({ id: CHECK_PY_ID, type: 'script', run: 'python3 /tests/check.py', output: 'json', weight: 1 });
  const r = TaskSpec.safeParse({
    id: meta.id,
    title: d.title,
    instruction: d.instruction,
    category: meta.category,
    ...(meta.subcategory ? { subcategory: meta.subcategory } : {}),
    operations: meta.operations,
    difficulty: d.difficulty,
    timeout_sec: 600,
    tags: [meta.route, ...(meta.skills?.map((s) => `skill:${s.name}`) ?? [])],
    provenance: {
      route: meta.route,
      persona: meta.persona,
      ...(meta.skills ? { skills: meta.skills.map((s) => s.name) } : {}),
      generator: `${meta.route}-route@1`,
      model: meta.model,
      seed: meta.seed,
    },
    review: { status: 'pending' },
    verify: { checks, ...(rubric && rubric.rules.length ? { rubric } : {}), pass: 1, tests_mount: '/tests' },
    metadata: { expected_behavior: d.expected_behavior },
  });
  if (!r.success) throw new ClawgymError('task', `the task does not validate: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

async function put(file: string, content: string, mode?: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  if (mode) await chmod(file, mode);
}

/** Write the whole task folder at `dir` (replacing what was there). */
export async function writeTaskFolder(dir: string, spec: TaskSpec, d: Draft, v: VerifierAnswer | undefined, skills: Skill[] = []): Promise<void> {
  const stage = join(dirname(dir), `.${basename(dir)}.partial`);
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, 'workspace'), { recursive: true });
  for (const f of d.workspace_files) await put(join(stage, 'workspace', safeRelPath(f.path)), f.content);
  for (const s of skills) await cp(s.dir, join(stage, 'workspace', 'skills', s.name), { recursive: true });
  await put(join(stage, 'solution', 'solve.sh'), v?.solution ?? d.solution, 0o755);
  if (v?.check_py?.trim()) await put(join(stage, 'tests', 'check.py'), v.check_py);
  await put(join(stage, 'task.yaml'), taskYaml(spec));
  await rm(dir, { recursive: true, force: true });
  await rename(stage, dir);
}
