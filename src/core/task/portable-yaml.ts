/**
 * YAML text that means one thing to every reader. ClawGym reads YAML 1.2 (the `yaml` package's core
 * schema); Python tools read YAML 1.1 (PyYAML), where a plain `11:00` is the integer 660, `yes` and
 * `on` are booleans, `0755` is octal, `2024-01-31` a date, `~` null, `<<` a merge key and `=` a
 * value key that PyYAML's safe loader refuses. Every writer of YAML in ClawGym goes through here.
 *
 * How: the `yaml` package's `compat` option quotes any string that a second schema would resolve
 * to something else. Its YAML 1.1 schema is a little narrower than YAML 1.1 as PyYAML and the type
 * repository (yaml.org/type) define it, so the rest of it is added here. Numbers are written in forms
 * both read as the same number, and characters a YAML 1.1 reader cannot take raw (NEL, the
 * Unicode line separators, C1 controls, U+FFFE/U+FFFF, a tab in a plain scalar) are escaped in
 * double quotes. test/unit/portable-yaml.test.ts proves it against PyYAML itself.
 */
import { Document, Schema, type DocumentOptions, type ScalarTag, type SchemaOptions, type Tags, type ToStringOptions } from 'yaml';

const STR = 'tag:yaml.org,2002:str';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';

const keep = (s: string) => s;

/** What YAML 1.1 resolves beyond the `yaml` package's yaml-1.1 schema (which covers the rest of it). */
const YAML11_BEYOND_PACKAGE: ScalarTag[] = [
  {
    // PyYAML's timestamp: a fraction may have no digits (`10:00:00.`), an offset any two digits (`+35`),
    // and blanks may precede an offset (the spec allows them only before `Z`).
    tag: 'tag:yaml.org,2002:timestamp',
    default: true,
    test: /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$/,
    resolve: keep,
  },
  {
    // yaml.org/type/float as published: its fraction is `[0-9.]*`, so a reader that takes the spec
    // literally reads `1.2.3` as a float. Quoting such strings costs nothing.
    tag: FLOAT,
    default: true,
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?$/,
    resolve: keep,
  },
  // yaml.org/type/value: a plain `=`.
  { tag: 'tag:yaml.org,2002:value', default: true, test: /^=$/, resolve: keep },
  // yaml.org/type/yaml: `!`, `&` and `*` alone (indicators, so never written plain anyway).
  { tag: 'tag:yaml.org,2002:yaml', default: true, test: /^[!&*]$/, resolve: keep },
];

/** Every resolver of YAML 1.1 (and so of PyYAML) that turns a plain scalar into a non-string. */
export const YAML11_RESOLVERS: readonly ScalarTag[] = [...resolversOf('yaml-1.1'), ...YAML11_BEYOND_PACKAGE];
const CORE_RESOLVERS = resolversOf('core');

/** A schema's tags that resolve some plain scalars to a non-string. */
function resolversOf(schema: 'core' | 'yaml-1.1'): ScalarTag[] {
  return new Schema({ schema }).tags.filter((t): t is ScalarTag => 'test' in t && !!t.test && !!t.default && t.tag !== STR);
}

/** Would some YAML 1.1 or 1.2 reader take this string, written plain, for something else? */
export function isAmbiguousPlain(s: string): boolean {
  return [...YAML11_RESOLVERS, ...CORE_RESOLVERS].some((t) => t.test!.test(s));
}

/**
 * A number as text that YAML 1.1 and 1.2 both read as this number: PyYAML's floats need a dot
 * (`1e-7` is a string to it, `1.0e-7` a float), and -0 keeps its sign.
 */
export function portableNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return String(n);
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n < 0 ? '-.inf' : '.inf';
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n);
  return /^[-+]?[0-9]+[eE]/.test(s) ? s.replace(/[eE]/, '.0e') : s;
}

/** Characters a YAML 1.1 reader cannot take raw in any style: NEL and C1 controls, LS, PS, U+FFFE, U+FFFF. */
const NEVER_RAW = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/;

/** A double-quoted scalar: JSON's escapes (valid YAML ones), plus those characters escaped too. */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(new RegExp(NEVER_RAW.source, 'g'), (c) => {
    const code = c.charCodeAt(0);
    if (c === '\u2028') return '\\L';
    if (c === '\u2029') return '\\P';
    if (c === '\x85') return '\\N';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

type Stringify = NonNullable<ScalarTag['stringify']>;

/** The core schema's tags, with numbers and strings written so YAML 1.1 reads them the same. */
function portableTags(tags: Tags): Tags {
  return tags.map((tag): Tags[number] => {
    if (typeof tag === 'string' || 'nodeClass' in tag || 'collection' in tag) return tag;
    const t = tag as ScalarTag;
    if (t.tag === INT || t.tag === FLOAT) {
      return { ...t, stringify: ({ value }) => portableNumber(value as number | bigint) };
    }
    if (t.tag === STR && t.stringify) {
      const base: Stringify = t.stringify;
      const stringify: Stringify = (item, ctx, onComment, onChompKeep) => {
        const s = String(item.value);
        if (NEVER_RAW.test(s)) return doubleQuoted(s);
        const out = base(item, ctx, onComment, onChompKeep);
        // PyYAML ends a plain scalar at a tab (and then fails on it); quoted, a tab is fine.
        return s.includes('\t') && !/^["'|>]/.test(out) ? doubleQuoted(s) : out;
      };
      return { ...t, stringify };
    }
    return t;
  });
}

/** Schema options for any Document that ClawGym writes out (created or parsed). */
export const PORTABLE_SCHEMA: SchemaOptions = { compat: [...YAML11_RESOLVERS] as Tags, customTags: portableTags };

/** Never fold long lines, so text reads back exactly as it was. */
export const PORTABLE_TO_STRING: ToStringOptions = { lineWidth: 0 };

/** A Document of `value` that stringifies portably. */
export function portableDocument(value: unknown, options: DocumentOptions & SchemaOptions = {}): Document {
  return new Document(value, { ...options, ...PORTABLE_SCHEMA });
}

/** `value` as YAML text that YAML 1.1 and 1.2 readers read the same. */
export function portableYaml(value: unknown, options: ToStringOptions = {}): string {
  return portableDocument(value).toString({ ...PORTABLE_TO_STRING, ...options });
}

/** Make a parsed Document stringify portably from now on (its nodes keep their styles where safe). */
export function makePortable(doc: Document): Document {
  doc.setSchema('1.2', PORTABLE_SCHEMA);
  return doc;
}
