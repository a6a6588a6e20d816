/**
 * One-pass running moments (Welford / Terriberry): count, mean and central moments up to the fourth,
 * so a column larger than memory can be described in one streaming pass.
 */
export class RunningMoments {
  n = 0;
  mean = 0;
  m2 = 0;
  m3 = 0;
  m4 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  push(x: number): void {
    const n1 = this.n;
    this.n++;
    const n = this.n;
    const delta = x - this.mean;
    const dn = delta / n;
    const dn2 = dn * dn;
    const term1 = delta * dn * n1;
    this.mean += dn;
    this.m4 += term1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * this.m2 - 4 * dn * this.m3;
    this.m3 += term1 * dn * (n - 2) - 3 * dn * this.m2;
    this.m2 += term1;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Sample variance (ddof = 1). */
  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : Number.NaN;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Skewness g1 (biased) or G1 (unbiased), as SciPy's `skew(bias=...)`. */
  skewness(bias = true): number {
    const n = this.n;
    if (n < 2 || this.m2 === 0) return Number.NaN;
    const g1 = (Math.sqrt(n) * this.m3) / this.m2 ** 1.5;
    if (bias) return g1;
    if (n < 3) return Number.NaN;
    return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
  }

  /** Excess kurtosis g2 (biased) or G2 (unbiased), as SciPy's `kurtosis(bias=...)`. */
  kurtosis(bias = true): number {
    const n = this.n;
    if (n < 2 || this.m2 === 0) return Number.NaN;
    const g2 = (n * this.m4) / (this.m2 * this.m2) - 3;
    if (bias) return g2;
    if (n < 4) return Number.NaN;
    return ((n + 1) * g2 + 6) * ((n - 1) / ((n - 2) * (n - 3)));
  }
}
