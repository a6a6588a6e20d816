/**
 * Gauss–Legendre nodes and weights on [0, 1]: Σ w_k p(t_k) = ∫₀¹ p(t) dt exactly for every polynomial
 * p of degree ≤ 2n − 1. Nodes from Newton's method on the Legendre polynomial P_n (started at the
 * Chebyshev-like guess cos(π(k − ¼)/(n + ½))), converged to machine precision.
 */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gaussLegendre needs a whole number of points ≥ 1 (got ${n})`);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let k = 1; k <= n; k++) {
    let x = Math.cos((Math.PI * (k - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // P_n(x) and its derivative by the three-term recurrence.
      let p0 = 1;
      let p1 = x;
      for (let j = 2; j <= n; j++) {
        const p2 = ((2 * j - 1) * x * p1 - (j - 1) * p0) / j;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pPrev = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pPrev)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    // Mapped from [-1, 1] to [0, 1]: t = (1 − x)/2 keeps the nodes ascending.
    nodes[k - 1] = (1 - x) / 2;
    weights[k - 1] = 1 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}
