/** Near-miss spelling: what a typo most likely meant, for "did you mean" quick fixes. */

/** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The one candidate within a typo's reach of `word` (one edit for short words, two from five
 * letters on, case ignored); undefined when there is none or two are equally near — then the fix
 * is not obvious.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const reach = w.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const c of candidates) {
    if (c === word) continue;
    if (Math.abs(c.length - w.length) > reach) continue; // cheap bound before the quadratic distance
    const dist = editDistance(w, c.toLowerCase());
    if (dist > reach) continue;
    if (dist < bestD) [best, bestD, tie] = [c, dist, false];
    else if (dist === bestD) tie = true;
  }
  return tie ? undefined : best;
}
