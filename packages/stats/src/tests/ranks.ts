/** Mid-ranks (1-based, ties share their mean rank) and the tie-group sizes. */
export function rankWithTies(values: ArrayLike<number>): { ranks: Float64Array; tieSizes: number[] } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j] as number] === values[order[i] as number]) j++;
    const mid = (i + j + 1) / 2;
    for (let k = i; k < j; k++) ranks[order[k] as number] = mid;
    tieSizes.push(j - i);
    i = j;
  }
  return { ranks, tieSizes };
}
