const EPS = 1e-15;

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(yTrue: ArrayLike<number>, yProb: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, yProb[i] as number));
    s -= yTrue[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / yTrue.length;
}

/** Mean squared difference between the probability and the outcome. */
export function brierScore(yTrue: ArrayLike<number>, yProb: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = (yTrue[i] as number) - (yProb[i] as number);
    s += d * d;
  }
  return s / yTrue.length;
}
