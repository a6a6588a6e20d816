/** Benjamini-Hochberg adjusted p-values (false discovery rate), in the input order. */
export function benjaminiHochberg(pvalues: readonly number[]): number[] {
  const m = pvalues.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (pvalues[a] as number) - (pvalues[b] as number));
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = order[k] as number;
    running = Math.min(running, ((pvalues[i] as number) * m) / (k + 1));
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}

/** Bonferroni adjusted p-values. */
export function bonferroni(pvalues: readonly number[]): number[] {
  return pvalues.map((p) => Math.min(1, p * pvalues.length));
}
