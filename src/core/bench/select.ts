/**
 * Deterministic bench selection. Every task gets a seeded rank (a hash of the seed and its id), so
 * the draw does not depend on how the pool was listed, and adding a task to the pool does not
 * reshuffle the others. Within a category, tasks are interleaved across difficulty bands and then
 * families (each group in rank order), so a smaller bench keeps the mix of a larger one; then
 * categories take turns, one task each, until the size is reached — capped ones drop out at their
 * cap. The result is balanced across categories as far as the pool allows.
 */
import { createHash } from 'node:crypto';
import { capOf, type Quotas } from '../synth/filter/quota.js';

export interface SelectItem {
  id: string;
  category: string;
  family: string;
  /** The difficulty band, when reference runs gave one ("" otherwise). */
  band: string;
}

export interface SelectOptions {
  /** null: every candidate the quotas allow. */
  size: number | null;
  quotas: Quotas;
  seed: number;
}

export interface Selection<T> {
  selected: T[];
  /** Why each candidate left out was left out. */
  left: Array<{ item: T; reason: string }>;
}

export function seededRank(seed: number, key: string): string {
  return createHash('sha256').update(`${seed}\0${key}`).digest('hex');
}

const byRank = (seed: number) => (a: string, b: string) => {
  const ra = seededRank(seed, a);
  const rb = seededRank(seed, b);
  return ra < rb ? -1 : ra > rb ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/** Round-robin over groups (by `keys[0]`, recursively by the rest); groups and leaves in seeded order. */
function interleave<T extends SelectItem>(items: readonly T[], keys: ReadonlyArray<(t: T) => string>, seed: number): T[] {
  const [key, ...rest] = keys;
  if (!key) {
    const order = byRank(seed);
    return [...items].sort((a, b) => order(a.id, b.id));
  }
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const g = groups.get(key(it));
    if (g) g.push(it);
    else groups.set(key(it), [it]);
  }
  const queues = [...groups.keys()].sort(byRank(seed)).map((g) => interleave(groups.get(g)!, rest, seed));
  const out: T[] = [];
  for (let round = 0; out.length < items.length; round++) for (const q of queues) if (round < q.length) out.push(q[round]!);
  return out;
}

export function selectTasks<T extends SelectItem>(items: readonly T[], o: SelectOptions): Selection<T> {
  const left: Selection<T>['left'] = [];
  const byCategory = new Map<string, T[]>();
  for (const it of items) {
    const list = byCategory.get(it.category);
    if (list) list.push(it);
    else byCategory.set(it.category, [it]);
  }
  const queues: T[][] = [];
  for (const cat of [...byCategory.keys()].sort(byRank(o.seed))) {
    const ordered = interleave(byCategory.get(cat)!, [(t) => t.band, (t) => t.family], o.seed);
    const cap = capOf(o.quotas, cat);
    if (cap !== undefined && ordered.length > cap) for (const item of ordered.slice(cap)) left.push({ item, reason: `category "${cat}" is capped at ${cap}` });
    queues.push(cap === undefined ? ordered : ordered.slice(0, cap));
  }
  const total = queues.reduce((s, q) => s + q.length, 0);
  const size = o.size === null ? total : Math.min(o.size, total);
  const selected: T[] = [];
  for (let round = 0; selected.length < size; round++) {
    for (const q of queues) {
      if (selected.length >= size) break;
      if (round < q.length) selected.push(q[round]!);
    }
  }
  const chosen = new Set(selected.map((s) => s.id));
  for (const q of queues) for (const item of q) if (!chosen.has(item.id)) left.push({ item, reason: `not drawn: the bench is full at ${size}` });
  return { selected, left };
}
