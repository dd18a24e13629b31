/**
 * Write any loaded task as a native task folder: task.yaml (keys in the schema's order, the
 * instruction as a block scalar) plus workspace/, tests/ and solution/ copied byte for byte.
 * Native tasks round-trip without loss: load(save(load(x))) has the same spec and files.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isScalar, Scalar } from 'yaml';
import { ClawgymError } from '../errors.js';
import { copyFileSet } from './fileset.js';
import { parseTaskYaml, TASK_FILE } from './native.js';
import { portableDocument, PORTABLE_TO_STRING } from './portable-yaml.js';
import { Check, Provenance, Review, Rubric, RubricRule, TaskSpec, Verify } from './schema.js';
import type { FileSet, Task } from './task.js';

type Obj = Record<string, unknown>;

/** Keys in `order` first, then any others in their current order; undefined values dropped. */
function pick(obj: Obj, order: readonly string[], map: Record<string, (v: unknown) => unknown> = {}): Obj {
  const out: Obj = {};
  const keys = [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k))];
  for (const k of keys) {
    const v = obj[k];
    if (v !== undefined) out[k] = map[k] ? map[k](v) : dropUndefined(v);
  }
  return out;
}

function dropUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropUndefined);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return pick(v as Obj, []);
  return v;
}

const keysOf = (s: { shape: object }) => Object.keys(s.shape);
const CHECK_KEYS = new Map(Check.options.map((o) => [o.shape.type.value as string, keysOf(o)]));

/** A check reads best as `id`, `type`, then its own fields in the schema's order. */
function orderCheck(c: unknown): unknown {
  const o = c as Obj;
  return pick(o, ['id', 'type', ...(CHECK_KEYS.get(String(o.type)) ?? [])]);
}

function orderSpec(spec: TaskSpec): Obj {
  return pick(spec as Obj, keysOf(TaskSpec), {
    provenance: (v) => pick(v as Obj, keysOf(Provenance)),
    review: (v) => pick(v as Obj, keysOf(Review)),
    verify: (v) =>
      pick(v as Obj, keysOf(Verify), {
        checks: (cs) => (cs as unknown[]).map(orderCheck),
        rubric: (r) =>
          r === null ? null : pick(r as Obj, keysOf(Rubric), { rules: (rs) => (rs as Obj[]).map((x) => pick(x, keysOf(RubricRule))) }),
      }),
  });
}

/** task.yaml text for a spec: what ClawGym reads is what a YAML 1.1 reader (PyYAML) reads too. */
export function taskYaml(spec: TaskSpec): string {
  const doc = portableDocument(orderSpec(spec));
  const node = doc.get('instruction', true);
  // A block scalar of blanks only would read back empty: those stay quoted.
  if (isScalar(node) && /\S/.test(spec.instruction)) node.type = Scalar.BLOCK_LITERAL;
  return doc.toString({ ...PORTABLE_TO_STRING, blockQuote: 'literal' });
}

/**
 * Build `names` in a staging folder inside `outDir`, then swap them in. Copying from the task before
 * deleting anything makes saving a task onto its own folder safe; other entries of outDir are kept.
 */
export async function writeStaged(outDir: string, names: readonly string[], build: (stage: string) => Promise<void>): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const stage = await mkdtemp(join(outDir, '.clawgym-save-'));
  try {
    await build(stage);
    for (const name of names) {
      await rm(join(outDir, name), { recursive: true, force: true });
      if (existsSync(join(stage, name))) await rename(join(stage, name), join(outDir, name));
    }
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Copy sets in order into `dest` (later sets overlay earlier ones); warnings go to the task. */
export async function copySets(task: Task, sets: readonly FileSet[], dest: string, what: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  for (const set of sets) {
    const { warnings } = await copyFileSet(set, dest);
    task.warnings.push(...warnings.map((w) => `${what}: ${w}`));
  }
}

export async function saveNativeTask(task: Task, outDir: string): Promise<void> {
  const text = taskYaml(task.spec);
  // Read our own output back: what we write must load as exactly this spec, or we would lose data.
  const back = parseTaskYaml(text, join(outDir, TASK_FILE)).spec;
  if (!isDeepStrictEqual(back, dropUndefined(task.spec))) {
    throw new ClawgymError('task', `${task.spec.id}: the spec does not survive a YAML round trip (a value YAML cannot hold?)`);
  }
  await writeStaged(outDir, [TASK_FILE, 'workspace', 'tests', 'solution'], async (stage) => {
    await writeFile(join(stage, TASK_FILE), text);
    // An empty workspace/ still marks "has a workspace" for the native loader.
    if (task.workspace.length) await copySets(task, task.workspace, join(stage, 'workspace'), 'workspace');
    if (task.tests) await copySets(task, [task.tests], join(stage, 'tests'), 'tests');
    if (task.solution) await copySets(task, [task.solution], join(stage, 'solution'), 'solution');
  });
}
