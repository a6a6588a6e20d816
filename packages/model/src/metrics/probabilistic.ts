const EPS = 1e-15;

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(yTrue: ArrayLike<number>, yProb: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s -= logLikelihood(yTrue[i] as number, yProb[i] as number);
  return s / yTrue.length;
}

/** Mean squared difference between the probability and the outcome. */
export function brierScore(yTrue: ArrayLike<number>, yProb: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += squaredError(yTrue[i] as number, yProb[i] as number);
  return s / yTrue.length;
}

/** One row's log-likelihood, its probability clipped (`logLoss` sums these). */
export function logLikelihood(y: number, probability: number): number {
  const p = Math.min(1 - EPS, Math.max(EPS, probability));
  return y ? Math.log(p) : Math.log(1 - p);
}

/** One row's squared error (`brierScore` sums these). */
export function squaredError(y: number, probability: number): number {
  const d = y - probability;
  return d * d;
}
