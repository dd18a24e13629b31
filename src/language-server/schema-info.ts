/**
 * What the language server knows about task.yaml, read from the zod schema in src/core/task (the
 * single source of truth): which keys exist where, the check types, their `.describe()` texts, and
 * which fields hold workspace paths. Nothing here is written by hand per key, so a new check type
 * or field gets completion, hover and unknown-key warnings without touching the server.
 */
import { z } from 'zod';
import { Check, CHECK_TYPES, RubricRule, TaskSpec, WorkspacePath, type CheckType } from '../core/task/schema.js';

type Path = readonly (string | number)[];

/** The parts of a zod 4 definition this module reads. */
interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  entries?: Record<string, string | number>;
  in?: z.ZodType;
}
const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/nullable wrappers, and the first description met on the way. */
export function unwrap(s: z.ZodType): { schema: z.ZodType; description?: string } {
  let description = s.description;
  let cur = s;
  for (let d = def(cur); WRAPPERS.has(d.type) && d.innerType; d = def(cur)) {
    cur = d.innerType;
    description ??= cur.description;
  }
  return { schema: cur, description };
}

export function kindOf(s: z.ZodType): string {
  return def(unwrap(s).schema).type;
}

/** How an object treats keys it does not declare: `strict` rejects them (zod reports them), `strip` drops them silently, `passthrough` keeps them. */
export function objectMode(s: z.ZodType): 'strict' | 'strip' | 'passthrough' {
  const c = def(unwrap(s).schema).catchall;
  if (!c) return 'strip';
  return def(c).type === 'never' ? 'strict' : 'passthrough';
}

export interface Field {
  key: string;
  schema: z.ZodType;
  description?: string;
  required: boolean;
}

/** The declared keys of an object schema; for a discriminated union without a known variant, the keys every variant has. */
export function fieldsOf(s: z.ZodType): Field[] {
  const u = unwrap(s).schema;
  const d = def(u);
  if (d.type === 'object' && d.shape) {
    return Object.entries(d.shape).map(([key, f]) => ({ key, schema: f, description: unwrap(f).description, required: !f.safeParse(undefined).success }));
  }
  if (d.type === 'union' && d.discriminator && d.options) {
    const all = d.options.map(fieldsOf);
    return all[0]!.filter((f) => all.every((fs) => fs.some((g) => g.key === f.key)));
  }
  return [];
}

/** The variant of a discriminated union whose discriminator is `value`. */
function variant(u: z.ZodType, value: unknown): z.ZodType | undefined {
  const d = def(u);
  return d.options?.find((o) => {
    const lit = def(o).shape?.[d.discriminator!];
    return lit !== undefined && (def(unwrap(lit).schema).values ?? []).includes(value);
  });
}

/**
 * The schema at a data path. `discriminator(prefix)` gives the discriminator value (a check's
 * `type`) of the map at `prefix`: a check's keys depend on its type. Undefined past a key the
 * schema does not declare.
 */
export function schemaAt(path: Path, discriminator: (prefix: Path) => unknown, root: z.ZodType = TaskSpec): z.ZodType | undefined {
  let cur: z.ZodType | undefined = root;
  for (let i = 0; i <= path.length && cur; i++) {
    const prefix = path.slice(0, i);
    cur = resolveVariant(cur, () => discriminator(prefix));
    if (i === path.length) break;
    cur = childSchema(cur, path[i]!);
  }
  return cur;
}

/** Whether `s` is a discriminated union still (its variant unknown). */
export function isUnresolvedUnion(s: z.ZodType): boolean {
  const d = def(unwrap(s).schema);
  return d.type === 'union' && !!d.discriminator;
}

/** A discriminated union becomes its variant when the discriminator is known (else stays the union). */
export function resolveVariant(s: z.ZodType, value: () => unknown): z.ZodType {
  const u = unwrap(s).schema;
  const d = def(u);
  if (d.type !== 'union' || !d.discriminator) return s;
  return variant(u, value()) ?? s;
}

/** The schema of `key` (or of an item, for a number) inside `s`; undefined when `s` declares no such key. */
export function childSchema(s: z.ZodType, key: string | number): z.ZodType | undefined {
  const u = unwrap(s).schema;
  const d = def(u);
  switch (d.type) {
    case 'object':
      return d.shape?.[String(key)] ?? (d.catchall && def(d.catchall).type !== 'never' ? d.catchall : undefined);
    case 'array':
      return typeof key === 'number' ? d.element : undefined;
    case 'record':
      return d.valueType;
    case 'pipe':
      return d.in ? childSchema(d.in, key) : undefined;
    case 'union':
      if (d.discriminator) {
        // Type not known (yet): a key every variant that has it shares (`path`, `weight`) is still known.
        const found = new Set((d.options ?? []).map((o) => def(o).shape?.[String(key)]).filter((f) => f !== undefined));
        return found.size === 1 ? [...found][0] : undefined;
      }
      // text: string | string[] — the first variant that has the key.
      for (const o of d.options ?? []) {
        const r = childSchema(o, key);
        if (r) return r;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Literal values a field may take (enums, literals, booleans), for value completion. */
export function valuesOf(s: z.ZodType): (string | number | boolean)[] {
  const d = def(unwrap(s).schema);
  if (d.type === 'enum' && d.entries) return Object.values(d.entries);
  if (d.type === 'literal') return (d.values ?? []).filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v));
  if (d.type === 'boolean') return [true, false];
  if (d.type === 'union' && !d.discriminator) return (d.options ?? []).flatMap(valuesOf);
  return [];
}

/** A field holds a workspace path: the schema's WorkspacePath, or a rubric rule's `file_path`. */
export function isWorkspacePathField(s: z.ZodType): boolean {
  const u = unwrap(s).schema;
  return u === WorkspacePath || u === unwrap(RubricRule.shape.file_path).schema;
}

export interface CheckTypeInfo {
  type: CheckType;
  description: string;
  schema: z.ZodType;
}

export const CHECK_TYPE_INFO: readonly CheckTypeInfo[] = CHECK_TYPES.map((type) => {
  const schema = variant(Check, type)!;
  return { type, description: schema.description ?? '', schema };
});

/** The check types whose `path` is a workspace path (not `command`, `script`, transcript checks…). */
export const PATH_CHECK_TYPES: ReadonlySet<string> = new Set(
  CHECK_TYPE_INFO.filter((c) => {
    const p = def(c.schema).shape?.path;
    return p !== undefined && isWorkspacePathField(p);
  }).map((c) => c.type),
);

/** `verify.checks.<i>` (where a check's `type` decides its keys). */
export function isCheckPath(path: Path): boolean {
  return path.length === 3 && path[0] === 'verify' && path[1] === 'checks' && typeof path[2] === 'number';
}

/** Inclusive numeric bounds of a field (from the JSON Schema zod generates), for clamping. */
export function boundsOf(s: z.ZodType): { min?: number; max?: number } {
  const js = jsonSchema(s);
  return { min: typeof js.minimum === 'number' ? js.minimum : undefined, max: typeof js.maximum === 'number' ? js.maximum : undefined };
}

interface Js {
  type?: string;
  anyOf?: Js[];
  enum?: unknown[];
  const?: unknown;
  items?: Js;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}
function jsonSchema(s: z.ZodType): Js {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Js;
}

/** A one-line type, e.g. `integer, 1–5` or `number > 0, default 600`, from the generated JSON Schema. */
export function typeSummary(s: z.ZodType): string {
  const js = jsonSchema(s);
  const dflt = js.default === undefined ? '' : `, default \`${JSON.stringify(js.default)}\``;
  return summarize(js) + dflt;
}

function summarize(js: Js): string {
  if (js.anyOf) return js.anyOf.map(summarize).join(' | ');
  if (js.const !== undefined) return `\`${JSON.stringify(js.const)}\``;
  if (js.enum) return js.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' | ');
  if (js.type === 'array') return `list of ${js.items ? summarize(js.items) : 'values'}`;
  if (js.type === 'object') return 'mapping';
  if (js.type === 'number' || js.type === 'integer') {
    const lo = js.minimum !== undefined ? `${js.minimum}` : js.exclusiveMinimum !== undefined ? `> ${js.exclusiveMinimum}` : undefined;
    const hi = js.maximum !== undefined ? `${js.maximum}` : js.exclusiveMaximum !== undefined ? `< ${js.exclusiveMaximum}` : undefined;
    if (js.minimum !== undefined && js.maximum !== undefined) return `${js.type} ${js.minimum}–${js.maximum}`;
    if (lo) return `${js.type} ${lo.startsWith('>') ? lo : `≥ ${lo}`}`;
    if (hi) return `${js.type} ${hi.startsWith('<') ? hi : `≤ ${hi}`}`;
    return js.type;
  }
  return js.type ?? 'any value';
}
