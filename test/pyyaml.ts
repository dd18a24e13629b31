/**
 * Read YAML the way Python tools do: Debian's python3-yaml (PyYAML, a YAML 1.1 reader), one python3
 * process for any number of documents. Values come back tagged where JSON cannot say what Python
 * holds (a datetime, a non-string key, NaN), so that a comparison with ClawGym's reading fails on
 * every difference of meaning, not only on differences JSON happens to show.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parseYamlDocLenient } from '../src/core/task/positions.js';

/** Debian's interpreter: the one the sandbox offers and python3-yaml installs into (not a pyenv shim). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const READER = String.raw`
import json, math, sys
import yaml

loader = getattr(yaml, sys.argv[1])

def tag(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return {"!!float": "nan"}
        if math.isinf(v):
            return {"!!float": "inf" if v > 0 else "-inf"}
        return v
    if isinstance(v, list):
        return [tag(x) for x in v]
    if isinstance(v, dict):
        return {(k if isinstance(k, str) else "!!%s:%r" % (type(k).__name__, k)): tag(x) for k, x in v.items()}
    return {"!!" + type(v).__name__: repr(v)}

def read(item):
    try:
        if "path" in item:
            with open(item["path"], encoding="utf-8") as f:
                text = f.read()
        else:
            text = item["text"]
        return {"value": tag(yaml.load(text, Loader=loader))}
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}

items = json.load(sys.stdin)
json.dump([read(i) for i in items], sys.stdout, allow_nan=False)
`;

export type PyYamlRead = { value: unknown } | { error: string };

export function hasPyYaml(): boolean {
  return existsSync(DEBIAN_PYTHON);
}

/**
 * Load each document (a file path or a text) with PyYAML. `loader`: `SafeLoader` (what
 * `yaml.safe_load` uses) or `CSafeLoader` (the same resolver over libyaml's parser, much faster).
 */
export function pyyamlRead(items: ReadonlyArray<{ path: string } | { text: string }>, loader: 'SafeLoader' | 'CSafeLoader' = 'SafeLoader'): Promise<PyYamlRead[]> {
  return python(READER, [loader], items) as Promise<PyYamlRead[]>;
}

/** Run Debian's python3 on `code` with `input` as JSON on stdin; its stdout parsed as JSON. */
function python(code: string, args: string[], input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, ['-c', code, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`python3 exited ${status}: ${err}`));
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/** ClawGym's reading in the same tagged shape: non-finite numbers tagged like the Python side. */
export function tagJs(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return { '!!float': Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf' };
  if (Array.isArray(v)) return v.map(tagJs);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tagJs(x)]));
  return v;
}

/** PyYAML's implicit tag for each string written as a plain scalar (its YAML 1.1 resolver). */
export function pyyamlPlainTags(strings: readonly string[]): Promise<string[]> {
  const code = 'import json, sys, yaml\nr = yaml.resolver.Resolver()\njson.dump([r.resolve(yaml.ScalarNode, s, (True, False)) for s in json.load(sys.stdin)], sys.stdout)\n';
  return python(code, [], strings) as Promise<string[]>;
}

/**
 * Every file read by PyYAML (one python3 process, `CSafeLoader`: PyYAML's resolver over libyaml) and
 * by `ours`, compared value by value; the python side runs while ours parses. Returns the files
 * whose readings differ, with the first difference of each.
 */
export async function pyyamlDisagreements(files: readonly string[], ours: (text: string, file: string) => unknown = clawgymReading, loader: 'SafeLoader' | 'CSafeLoader' = 'CSafeLoader'): Promise<string[]> {
  const py = pyyamlRead(files.map((path) => ({ path })), loader);
  const mine = files.map((f) => ours(readFileSync(f, 'utf8'), f));
  const theirs = await py;
  return files.flatMap((f, i) => differences(theirs[i]!, mine[i], 1).map((d) => `${f}: ${d}`));
}

/** ClawGym's own reading of YAML text: the task loader's parse, before the schema. */
export const clawgymReading = (text: string, file = 'task.yaml'): unknown => parseYamlDocLenient(text, file).pd.doc.toJS();

/** Where PyYAML's reading differs from ClawGym's (up to `limit` paths, each with both values); [] when they agree. */
export function differences(py: PyYamlRead, ours: unknown, limit = 12): string[] {
  if ('error' in py) return [`PyYAML cannot read it: ${py.error}`];
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= limit || isDeepStrictEqual(a, b)) return;
    if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}[${JSON.stringify(k)}]`);
    } else out.push(`${path}: PyYAML ${JSON.stringify(a)} vs ClawGym ${JSON.stringify(b)}`);
  };
  walk(py.value, tagJs(ours), '$');
  return out;
}
