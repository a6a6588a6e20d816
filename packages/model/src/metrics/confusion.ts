/** Counts of a binary confusion matrix at one threshold. */
export interface Confusion {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** Hard labels from scores: 1 where score >= threshold (scikit-learn's `proba >= 0.5` convention). */
export function labelsAt(yScore: ArrayLike<number>, threshold: number): Uint8Array {
  const out = new Uint8Array(yScore.length);
  for (let i = 0; i < yScore.length; i++) out[i] = (yScore[i] as number) >= threshold ? 1 : 0;
  return out;
}

/** The counts tn, fp, fn, tp of 0/1 labels against 0/1 predictions (positive label 1). */
export function confusion(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Confusion {
  const c = { tn: 0, fp: 0, fn: 0, tp: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === 1;
    const p = yPred[i] === 1;
    if (t) p ? c.tp++ : c.fn++;
    else p ? c.fp++ : c.tn++;
  }
  return c;
}

/** `[[tn, fp], [fn, tp]]`, scikit-learn's layout with labels [0, 1]. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): [[number, number], [number, number]] {
  const c = confusion(yTrue, yPred);
  return [
    [c.tn, c.fp],
    [c.fn, c.tp],
  ];
}
