/**
 * Mid-ranks (1-based, ties share their mean rank) and the tie-group sizes. Uses the engine's native
 * numeric sort of a typed copy, then finds each value's tie group by binary search: much faster
 * than sorting indices with a comparator.
 */
export function rankWithTies(values: ArrayLike<number>): { ranks: Float64Array; tieSizes: number[] } {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const tieSizes: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    tieSizes.push(j - i);
    i = j;
  }
  const ranks = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = values[k] as number;
    // First index with sorted[i] >= v, and first with sorted[i] > v.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    ranks[k] = (first + lo + 1) / 2;
  }
  return { ranks, tieSizes };
}
