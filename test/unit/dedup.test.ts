/**
 * Near-duplicate detection (word shingles → one-permutation MinHash → LSH banding): finds edited
 * copies, leaves different texts alone, gives the same answer every time, and stays linear-ish on
 * a 20K-document pool (measured by candidate checks, not by the clock).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDuplicates, jaccard, LshIndex, minhash, nearDuplicateRate, shingleSet, words } from '../../src/core/synth/dedup.ts';
import { Rng } from '../../src/core/rng.ts';

const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
function randomDoc(rng: Rng, n = 80): string {
  return Array.from({ length: n }, () => rng.pick(VOCAB)).join(' ');
}
/** Replace `k` words of a text by new ones. */
function edit(doc: string, rng: Rng, k: number): string {
  const ws = doc.split(' ');
  for (let i = 0; i < k; i++) ws[rng.int(0, ws.length - 1)] = `new${i}`;
  return ws.join(' ');
}

test('words and shingles ignore case, punctuation and layout; identical texts have identical sets', () => {
  assert.deepEqual(words('Total the CSV, then write: JSON!'), ['total', 'the', 'csv', 'then', 'write', 'json']);
  assert.deepEqual(shingleSet('Total the CSV,\n then   write JSON'), shingleSet('total the csv then write json.'));
  assert.equal(shingleSet('').length, 0);
  assert.equal(shingleSet('two words').length, 1, 'a text shorter than a shingle is one shingle');
  assert.equal(jaccard(shingleSet(''), shingleSet('')), 1);
});

test('MinHash + LSH finds near-duplicates and misses different texts', () => {
  const rng = new Rng(1);
  const ix = new LshIndex({ threshold: 0.8 });
  const docs = Array.from({ length: 500 }, () => randomDoc(rng));
  for (const d of docs) ix.add(ix.setOf(d));
  // One word changed in 80: Jaccard ≈ 0.93 — found, and it is the right document.
  let found = 0;
  for (let i = 0; i < 100; i++) {
    const m = ix.nearest(ix.setOf(edit(docs[i]!, rng, 1)));
    if (m?.index === i) found++;
  }
  assert.ok(found >= 98, `found ${found} of 100 near-duplicates`);
  // Unrelated texts and heavy rewrites (Jaccard far below the threshold) are not duplicates.
  for (let i = 0; i < 100; i++) assert.equal(ix.nearest(ix.setOf(randomDoc(rng))), undefined);
  for (let i = 0; i < 50; i++) assert.equal(ix.nearest(ix.setOf(edit(docs[i]!, rng, 30))), undefined);
});

test('signatures: equal sets give equal signatures, and matching bins estimate Jaccard similarity', () => {
  const rng = new Rng(2);
  const d1 = randomDoc(rng, 400);
  assert.deepEqual(minhash(shingleSet(d1)), minhash(shingleSet(d1.toUpperCase())));
  const s1 = shingleSet(d1);
  const s2 = shingleSet(edit(d1, rng, 40));
  const m1 = minhash(s1);
  const m2 = minhash(s2);
  const est = m1.filter((v, i) => v === m2[i]).length / m1.length;
  assert.ok(Math.abs(est - jaccard(s1, s2)) < 0.15, `estimate ${est} vs exact ${jaccard(s1, s2)}`);
});

test('findDuplicates keeps the first of each group; "both" needs the instruction and the workspace to match', () => {
  const rng = new Rng(3);
  const a = randomDoc(rng);
  const wa = randomDoc(rng, 200);
  const docs = [
    { id: 'a', instruction: a, workspace: wa },
    { id: 'a-copy', instruction: edit(a, rng, 1), workspace: wa },
    { id: 'a-other-data', instruction: a, workspace: randomDoc(rng, 200) },
    { id: 'b', instruction: randomDoc(rng), workspace: wa },
  ];
  const both = findDuplicates(docs, 'both');
  assert.deepEqual(both.kept, ['a', 'a-other-data', 'b']);
  assert.deepEqual(both.duplicates.map((d) => [d.id, d.of]), [['a-copy', 'a']]);
  assert.deepEqual(findDuplicates(docs, 'instruction').kept, ['a', 'b']);
  assert.deepEqual(findDuplicates(docs, 'workspace').kept, ['a', 'a-other-data']);
});

test('deterministic: the same pool gives the same decisions and rates every time', () => {
  const make = () => {
    const rng = new Rng(4);
    const base = Array.from({ length: 300 }, () => randomDoc(rng));
    return [...base, ...base.slice(0, 30).map((d) => edit(d, rng, 1))];
  };
  const r1 = nearDuplicateRate(make());
  const r2 = nearDuplicateRate(make());
  assert.deepEqual(r1, r2);
  assert.equal(r1.withDuplicate, 60);
  const d = (docs: string[]) => findDuplicates(docs.map((x, i) => ({ id: String(i).padStart(4, '0'), instruction: x })), 'instruction');
  assert.deepEqual(d(make()), d(make()));
});

test('linear-ish on 20K documents: candidate checks grow with the duplicates, not with n²', () => {
  const rng = new Rng(5);
  const docs = Array.from({ length: 20_000 }, () => randomDoc(rng, 60));
  for (let i = 0; i < 200; i++) docs.push(edit(docs[i]!, rng, 1));
  const ix = new LshIndex();
  let candidates = 0;
  for (const d of docs) {
    const s = ix.setOf(d);
    candidates += ix.candidates(s).length;
    ix.add(s);
  }
  // All-pairs would be 2×10⁸ comparisons; LSH looks at about one candidate per planted duplicate.
  assert.ok(candidates < 2_000, `${candidates} candidate checks`);
  assert.ok(candidates >= 190, `${candidates} candidate checks (the planted duplicates must be among them)`);
  assert.equal(nearDuplicateRate(docs).withDuplicate, 400);
});
