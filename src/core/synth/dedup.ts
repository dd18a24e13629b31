/**
 * Near-duplicate detection for task pools: word shingles → MinHash signatures → LSH banding.
 *
 * No embedding model is available offline, and pools hold 10⁴–10⁵ tasks, so everything here is
 * linear in the total text: each shingle is hashed once (one-permutation MinHash with rotation
 * densification, instead of K hash functions per shingle), LSH buckets give candidate pairs, and
 * only candidates are compared by exact Jaccard similarity of their shingle sets. Every hash is a
 * fixed function of the text (no randomness, no Map iteration order effects), so the same pool
 * always gives the same decisions.
 */
import { mix32 } from '../rng.js';

export interface DedupParams {
  /** Words per shingle. */
  shingle: number;
  /** Signature length (bins); must equal bands × rows. */
  bins: number;
  bands: number;
  rows: number;
  /** Two texts are near-duplicates when the Jaccard similarity of their shingle sets reaches this. */
  threshold: number;
}

/**
 * 16 bands of 8 rows: a pair at Jaccard 0.8 becomes a candidate with probability ≈ 0.95, at 0.9
 * ≈ 0.999, at 0.5 ≈ 0.06 — candidates are cheap to check, missed pairs are rare.
 */
export const DEFAULT_DEDUP: DedupParams = { shingle: 3, bins: 128, bands: 16, rows: 8, threshold: 0.8 };

/** FNV-1a over a string's UTF-16 code units, finalised by mix32. */
function hashWord(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0, 0x5bd1e995);
}

/** Lower-case words of letters and digits (any script); punctuation and layout do not matter. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The set of hashed word k-shingles, sorted and unique. A text shorter than k is one shingle. */
export function shingleSet(text: string, k = DEFAULT_DEDUP.shingle): Uint32Array {
  const ws = words(text).map(hashWord);
  if (!ws.length) return new Uint32Array(0);
  const n = Math.max(1, ws.length - k + 1);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x9747b28c;
    for (let j = i; j < Math.min(i + k, ws.length); j++) h = mix32(h, ws[j]!);
    out[i] = h;
  }
  out.sort();
  let u = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[u - 1]) out[u++] = out[i]!;
  return out.slice(0, u);
}

/** Exact Jaccard similarity of two sorted unique sets; two empty sets are identical (1). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (!a.length && !b.length) return 1;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inter++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

const EMPTY = 0xffffffff;
const MAX_BUCKET_SCAN = 128;

/**
 * One-permutation MinHash: each shingle hash lands in one of `bins` bins (by its high bits) and
 * each bin keeps its minimum; an empty bin borrows from the next non-empty bin to its right, mixed
 * with the distance, so that equal sets still give equal signatures and the estimator stays sound.
 */
export function minhash(set: Uint32Array, bins = DEFAULT_DEDUP.bins): Uint32Array {
  const sig = new Uint32Array(bins).fill(EMPTY);
  const filled = new Uint8Array(bins);
  for (let i = 0; i < set.length; i++) {
    const h = mix32(set[i]!, 0x2545f491);
    const b = Math.floor((h / 4294967296) * bins);
    const v = mix32(h, 0x68e31da4);
    if (!filled[b] || v < sig[b]!) {
      sig[b] = v;
      filled[b] = 1;
    }
  }
  if (!set.length) return sig;
  for (let b = 0; b < bins; b++) {
    if (filled[b]) continue;
    for (let d = 1; d < bins; d++) {
      const s = (b + d) % bins;
      if (filled[s]) {
        sig[b] = mix32(sig[s]!, d);
        break;
      }
    }
  }
  return sig;
}

/** The bucket key of each band: a hash of its rows, salted by the band index. */
export function bandKeys(sig: Uint32Array, bands = DEFAULT_DEDUP.bands, rows = DEFAULT_DEDUP.rows): number[] {
  const keys: number[] = [];
  for (let b = 0; b < bands; b++) {
    let h = mix32(0x3c6ef372, b);
    for (let r = 0; r < rows; r++) h = mix32(h, sig[b * rows + r]!);
    keys.push(h);
  }
  return keys;
}

export interface NearMatch {
  index: number;
  similarity: number;
}

/**
 * An LSH index over shingle sets. `add` returns the index of the new document; `nearest` finds an
 * indexed document at or above the threshold (the most similar among the candidates; ties go to
 * the earliest). Bucket lookups are O(bands) per document, so a whole pool is O(n) plus the
 * candidate checks.
 */
export class LshIndex {
  private readonly sets: Uint32Array[] = [];
  private readonly buckets: Array<Map<number, number[]>>;
  readonly params: DedupParams;

  constructor(params: Partial<DedupParams> = {}) {
    this.params = { ...DEFAULT_DEDUP, ...params };
    if (this.params.bands * this.params.rows !== this.params.bins) throw new RangeError('bins must equal bands × rows');
    if (!(this.params.threshold > 0 && this.params.threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
    this.buckets = Array.from({ length: this.params.bands }, () => new Map<number, number[]>());
  }

  get size(): number {
    return this.sets.length;
  }

  setOf(text: string): Uint32Array {
    return shingleSet(text, this.params.shingle);
  }

  /**
   * Candidate indices sharing at least one band bucket with the set, ascending. Only the first
   * `MAX_BUCKET_SCAN` members of a bucket are looked at: in a pool whose tasks are all alike a
   * bucket can hold thousands, and scanning them all would make the whole pass quadratic. A pair
   * is then missed only when every band it shares is already crowded with near-alike tasks.
   */
  candidates(set: Uint32Array): number[] {
    const keys = bandKeys(minhash(set, this.params.bins), this.params.bands, this.params.rows);
    const seen = new Set<number>();
    keys.forEach((k, b) => {
      const list = this.buckets[b]!.get(k);
      if (!list) return;
      for (let i = 0; i < Math.min(list.length, MAX_BUCKET_SCAN); i++) seen.add(list[i]!);
    });
    return [...seen].sort((a, b) => a - b);
  }

  /** The most similar indexed document at or above the threshold, if any. */
  nearest(set: Uint32Array): NearMatch | undefined {
    let best: NearMatch | undefined;
    for (const i of this.candidates(set)) {
      const s = jaccard(set, this.sets[i]!);
      if (s >= this.params.threshold - 1e-12 && (!best || s > best.similarity)) best = { index: i, similarity: s };
    }
    return best;
  }

  add(set: Uint32Array): number {
    const i = this.sets.length;
    this.sets.push(set);
    bandKeys(minhash(set, this.params.bins), this.params.bands, this.params.rows).forEach((k, b) => {
      const m = this.buckets[b]!;
      const list = m.get(k);
      if (list) list.push(i);
      else m.set(k, [i]);
    });
    return i;
  }

  /** The shingle set of indexed document i. */
  set(i: number): Uint32Array {
    return this.sets[i]!;
  }
}

/** A document to compare: its instruction text and (optionally) its workspace as one text. */
export interface DedupDoc {
  id: string;
  instruction: string;
  workspace?: string;
}

/** What makes two tasks duplicates: similar instructions, similar workspaces, or both. */
export type DedupOn = 'instruction' | 'workspace' | 'both';

export interface DuplicateOf {
  id: string;
  /** The earlier document kept in its place. */
  of: string;
  instruction: number;
  workspace: number | null;
}

/**
 * Keep the first of every group of near-duplicates, in the given order. With `both` a task is a
 * duplicate only when its instruction AND its workspace are near an earlier kept task's (same
 * template with other data is a different task); candidates come from the instruction index.
 */
export function findDuplicates(docs: readonly DedupDoc[], on: DedupOn = 'both', params: Partial<DedupParams> = {}): { kept: string[]; duplicates: DuplicateOf[] } {
  const byInstr = new LshIndex(params);
  const byWs = new LshIndex(params);
  const keptIds: string[] = [];
  const duplicates: DuplicateOf[] = [];
  const thr = byInstr.params.threshold - 1e-12;
  for (const d of docs) {
    const iset = byInstr.setOf(d.instruction);
    const wset = byWs.setOf(d.workspace ?? '');
    const primary = on === 'workspace' ? byWs : byInstr;
    const pset = on === 'workspace' ? wset : iset;
    let dup: DuplicateOf | undefined;
    for (const c of primary.candidates(pset)) {
      // The two indices are filled in lockstep, so index c names the same kept document in both.
      const si = jaccard(iset, byInstr.set(c));
      const sw = jaccard(wset, byWs.set(c));
      const near = on === 'instruction' ? si >= thr : on === 'workspace' ? sw >= thr : si >= thr && sw >= thr;
      if (near) {
        dup = { id: d.id, of: keptIds[c]!, instruction: si, workspace: d.workspace === undefined ? null : sw };
        break;
      }
    }
    if (dup) {
      duplicates.push(dup);
      continue;
    }
    byInstr.add(iset);
    byWs.add(wset);
    keptIds.push(d.id);
  }
  return { kept: keptIds, duplicates };
}

/**
 * The share of documents that have at least one near-duplicate anywhere in the collection (both
 * members of a pair count). One pass: each document is compared with the earlier candidates that
 * could still change the answer.
 */
export function nearDuplicateRate(texts: readonly string[], params: Partial<DedupParams> = {}): { rate: number; withDuplicate: number; total: number } {
  const ix = new LshIndex(params);
  const marked = new Uint8Array(texts.length);
  const thr = ix.params.threshold - 1e-12;
  texts.forEach((t, j) => {
    const set = ix.setOf(t);
    for (const c of ix.candidates(set)) {
      if (marked[j] && marked[c]) continue;
      if (jaccard(set, ix.set(c)) >= thr) {
        marked[j] = 1;
        marked[c] = 1;
      }
    }
    ix.add(set);
  });
  const withDuplicate = marked.reduce((a, b) => a + b, 0);
  return { rate: texts.length ? withDuplicate / texts.length : 0, withDuplicate, total: texts.length };
}
