import { chiSquareSf } from "../dists.js";

export interface ChiSquareResult {
  statistic: number;
  pvalue: number;
  dof: number;
  expected: number[][];
  cramersV: number;
}

/**
 * Chi-square test of independence on a contingency table, as SciPy's `chi2_contingency(table)` with
 * its defaults: χ² = Σ (O − E)² / E with E = row total × column total / n, dof = (r − 1)(c − 1), and
 * Yates' continuity correction (each |O − E| reduced by min(½, |O − E|)) when dof = 1 — pass
 * `{ yates: false }` for the plain statistic. p = P(χ²_dof > statistic), computed directly in the
 * upper tail. Cramér's V = √(χ² / (n·(min(r, c) − 1))) uses the uncorrected statistic, as SciPy's
 * `contingency.association`.
 *
 * Edge cases: dof = 0 (one row or one column) gives statistic 0 and p = 1; a zero expected count
 * (an all-zero row or column) gives NaN, where SciPy raises.
 *
 * @example
 * chiSquareIndependence([[120, 80], [40, 160]]).pvalue; // 7.45e-16, as SciPy (Yates-corrected)
 * chiSquareIndependence([[120, 80], [40, 160]], { yates: false }).statistic; // 66.67
 */
export function chiSquareIndependence(table: readonly (readonly number[])[], options: { yates?: boolean } = {}): ChiSquareResult {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  const rowSums = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: cols }, (_, j) => table.reduce((a, r) => a + (r[j] as number), 0));
  const n = rowSums.reduce((a, b) => a + b, 0);
  const expected = table.map((_, i) => colSums.map((c) => ((rowSums[i] as number) * c) / n));
  const dof = (rows - 1) * (cols - 1);
  const stat = (correct: boolean) => {
    let s = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const o = (table[i] as readonly number[])[j] as number;
        const e = (expected[i] as number[])[j] as number;
        let d = o - e;
        if (correct) d = Math.sign(d) * Math.max(0, Math.abs(d) - 0.5);
        s += (d * d) / e;
      }
    }
    return s;
  };
  const plain = stat(false);
  const statistic = (options.yates ?? true) && dof === 1 ? stat(true) : plain;
  const k = Math.min(rows, cols) - 1;
  return {
    statistic: dof === 0 ? 0 : statistic,
    pvalue: dof === 0 ? 1 : chiSquareSf(statistic, dof),
    dof,
    expected,
    cramersV: k > 0 && n > 0 ? Math.sqrt(plain / (n * k)) : 0,
  };
}
