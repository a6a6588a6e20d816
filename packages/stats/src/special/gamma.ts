// The gamma function's logarithm and the regularised incomplete gamma functions P(a, x) and
// Q(a, x) = 1 − P(a, x). Q is computed directly (never as 1 − P) where it is small, so upper tails
// keep their relative precision down to the smallest doubles.

/** Lanczos coefficients (g = 7, n = 9): lnΓ to about 1e-15 relative for x ≥ 0.5. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Stirling series coefficients B₂ₖ / (2k(2k − 1)) for lnΓ of large arguments. */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

/**
 * ln Γ(x) for x > 0. Stirling's series above 15 (exact to rounding there), Lanczos below; the
 * reflection formula for x < 0.5.
 */
export function lnGamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  if (x >= 15) {
    const r = 1 / x;
    const r2 = r * r;
    let series = 0;
    for (let k = STIRLING.length - 1; k >= 0; k--) series = series * r2 + (STIRLING[k] as number);
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series * r;
  }
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let k = 1; k < LANCZOS.length; k++) sum += (LANCZOS[k] as number) / (z + k);
  const t = z + 7.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100_000;

/** ln of xᵃ e⁻ˣ / Γ(a): the factor both the series and the continued fraction carry. */
function logPrefactor(a: number, x: number): number {
  return a * Math.log(x) - x - lnGamma(a);
}

/** P(a, x) by its power series (converges fast for x < a + 1). */
function seriesP(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITER; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return Math.exp(logPrefactor(a, x) + Math.log(sum));
}

/** Q(a, x) by its continued fraction, modified Lentz (converges fast for x ≥ a + 1). */
function continuedFractionQ(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  // In logs: the prefactor alone may underflow while the product is still a (subnormal) double.
  return Math.exp(logPrefactor(a, x) + Math.log(h));
}

/** The regularised lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return Number.NaN;
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1 ? seriesP(a, x) : 1 - continuedFractionQ(a, x);
}

/** The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), computed directly in the upper tail. */
export function gammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - seriesP(a, x) : continuedFractionQ(a, x);
}
