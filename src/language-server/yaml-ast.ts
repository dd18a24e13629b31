/** Finding things in a `yaml` document tree by offset or by path, with the source ranges it keeps. */
import { isMap, isNode, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';

export type Path = (string | number)[];

export interface NodeAt {
  /** The data path of the key or value under the offset. */
  path: Path;
  /** On a mapping key, or on a value. */
  on: 'key' | 'value';
  node: Node;
  /** The pair whose key or value this is (absent for a sequence item or the root). */
  pair?: Pair;
}

const within = (n: unknown, offset: number): n is Node => isNode(n) && !!n.range && n.range[0] <= offset && offset <= n.range[1];

/** The innermost key or scalar value at `offset` (an end offset counts: the cursor just after a word is on it). */
export function nodeAt(doc: Document, offset: number): NodeAt | undefined {
  const walk = (node: unknown, path: Path, pair?: Pair): NodeAt | undefined => {
    if (isMap(node)) {
      for (const p of node.items) {
        const key = keyOf(p);
        if (key === undefined) continue;
        if (within(p.key, offset)) return { path: [...path, key], on: 'key', node: p.key, pair: p };
        if (within(p.value, offset)) return walk(p.value, [...path, key], p);
      }
      return undefined;
    }
    if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) if (within(item, offset)) return walk(item, [...path, i]);
      return undefined;
    }
    return within(node, offset) ? { path, on: 'value', node, pair } : undefined;
  };
  return walk(doc.contents, []);
}

/** A scalar mapping key as a string (keys are plain strings in task.yaml). */
export function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) && p.key.value !== null && p.key.value !== undefined ? String(p.key.value) : undefined;
}

export function nodeIn(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const n = path.length ? doc.getIn(path as unknown[], true) : doc.contents;
  return isNode(n) ? n : undefined;
}

/** The pair holding `key` in the mapping at `mapPath`. */
export function pairIn(doc: Document, mapPath: readonly (string | number)[], key: string): Pair | undefined {
  const map = nodeIn(doc, mapPath);
  return isMap(map) ? map.items.find((p) => keyOf(p) === key) : undefined;
}

/** The string value of a scalar at `path`, if it is one. */
export function stringAt(doc: Document, path: readonly (string | number)[]): string | undefined {
  const n = nodeIn(doc, path);
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}
