/**
 * Per-category quotas: `Software Dev=100` caps one category, `*=50` (or a bare `50`) every
 * category without its own cap. Over a cap, tasks are kept round-robin across families (each in
 * id order), so a cap thins every family evenly instead of cutting the last ones off.
 */
import { UsageError } from '../../errors.js';

export interface Quotas {
  perCategory: Record<string, number>;
  /** The cap of categories not named (undefined: no cap). */
  others?: number;
}

export function parseQuotas(specs: readonly string[]): Quotas {
  const q: Quotas = { perCategory: {} };
  for (const spec of specs) {
    const m = /^(?:(.*)=)?\s*(\d+)\s*$/.exec(spec);
    if (!m) throw new UsageError(`--quota ${JSON.stringify(spec)}: expected "<category>=N", "*=N" or N`);
    const name = (m[1] ?? '*').trim();
    const n = Number(m[2]);
    if (!name) throw new UsageError(`--quota ${JSON.stringify(spec)}: empty category name`);
    if (name === '*') q.others = n;
    else q.perCategory[name] = n;
  }
  return q;
}

export function capOf(q: Quotas, category: string): number | undefined {
  return q.perCategory[category] ?? q.others;
}

export interface QuotaItem {
  id: string;
  category: string;
  family: string;
}

/** Which items a quota keeps and which it drops (with the category's cap). */
export function applyQuotas<T extends QuotaItem>(items: readonly T[], q: Quotas): { kept: T[]; dropped: Array<{ item: T; cap: number }> } {
  const byCat = new Map<string, T[]>();
  for (const it of items) {
    const list = byCat.get(it.category);
    if (list) list.push(it);
    else byCat.set(it.category, [it]);
  }
  const keep = new Set<string>();
  const dropped: Array<{ item: T; cap: number }> = [];
  for (const [cat, list] of byCat) {
    const cap = capOf(q, cat);
    if (cap === undefined || list.length <= cap) {
      for (const it of list) keep.add(it.id);
      continue;
    }
    const fams = new Map<string, T[]>();
    for (const it of [...list].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const f = fams.get(it.family);
      if (f) f.push(it);
      else fams.set(it.family, [it]);
    }
    const queues = [...fams.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
    let taken = 0;
    for (let round = 0; taken < cap; round++) {
      let any = false;
      for (const qu of queues) {
        if (taken >= cap) break;
        const it = qu[round];
        if (!it) continue;
        any = true;
        keep.add(it.id);
        taken++;
      }
      if (!any) break;
    }
    for (const it of list) if (!keep.has(it.id)) dropped.push({ item: it, cap });
  }
  return { kept: items.filter((it) => keep.has(it.id)), dropped };
}
