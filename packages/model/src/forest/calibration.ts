/**
 * Platt scaling of a forest's probabilities, fitted on its out-of-bag scores: no row is held back
 * and no tree scores a row it was grown on. A forest of fully grown trees averages leaf fractions
 * that are mostly 0 or 1, so its probabilities crowd the ends (an unlucky 0 for a positive row costs
 * log loss without bound) while its ranking is good. The map
 *
 *   p' = σ(a · logit((p·n + ½) / (n + 1)) + b),
 *
 * with n the number of trees averaged (each row's out-of-bag count when fitting, all trees when
 * predicting) and the ½-vote smoothing keeping the logit finite, is monotone: the ranking, so ROC AUC,
 * is unchanged, and the probabilities are pulled to what the out-of-bag rows show.
 */
export interface PlattCalibration {
  method: "platt-oob";
  a: number;
  b: number;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** The smoothed log-odds of a mean of n tree votes. */
function smoothedLogit(p: number, n: number): number {
  return logit((p * n + 0.5) / (n + 1));
}

/**
 * Fits a and b by Newton's method on the out-of-bag rows (logistic regression of the label on the
 * smoothed log-odds). Null when there are too few out-of-bag rows of each class to fit two numbers.
 */
export function fitOobPlatt(oobProba: Float64Array, oobCount: Uint16Array, y: Uint8Array): PlattCalibration | null {
  const z: number[] = [];
  const t: number[] = [];
  let positives = 0;
  for (let i = 0; i < oobProba.length; i++) {
    const n = oobCount[i] as number;
    if (n === 0) continue;
    z.push(smoothedLogit(oobProba[i] as number, n));
    t.push(y[i] as number);
    positives += y[i] as number;
  }
  if (positives < 5 || t.length - positives < 5) return null;
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (let i = 0; i < z.length; i++) {
      const zi = z[i] as number;
      const p = sigmoid(a * zi + b);
      const r = p - (t[i] as number);
      const w = p * (1 - p);
      g0 += r * zi;
      g1 += r;
      h00 += w * zi * zi;
      h01 += w * zi;
      h11 += w;
    }
    // A tiny ridge keeps the step defined when the scores separate the classes.
    h00 += 1e-9;
    h11 += 1e-9;
    const det = h00 * h11 - h01 * h01;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-12) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b) || a <= 0) return null;
  return { method: "platt-oob", a, b };
}

/** The calibrated probability of a mean p of `trees` tree votes. */
export function calibrate(p: number, trees: number, c: PlattCalibration): number {
  return sigmoid(c.a * smoothedLogit(p, trees) + c.b);
}
