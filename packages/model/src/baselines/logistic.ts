import type { Frame } from "../frame.js";
import { LinearModel } from "../linear/linear-model.js";
import { binaryMetrics } from "../metrics/evaluate.js";
import type { Preprocessor } from "../preprocess/preprocessor.js";

export interface LogisticOptions {
  /** Inverse penalty strength, as scikit-learn's `C` (default 1). */
  C?: number;
}

export interface BaselineResult {
  name: string;
  roc_auc: number;
  accuracy: number;
  f1: number;
  log_loss: number;
}

/**
 * A logistic-regression baseline on the same training rows and preprocessing as the forest
 * (numbers standardised, categories one-hot), scored on the same test rows: what a linear model
 * reaches shows what the forest's non-linearity buys. The model is scikit-learn's
 * `LogisticRegression(C=1.0)` solved to its optimum.
 */
export function logisticBaseline(
  pre: Preprocessor,
  frame: Frame,
  y: Uint8Array,
  train: Int32Array,
  test: Int32Array,
  threshold: number,
  options: LogisticOptions = {},
): BaselineResult {
  const lr = LinearModel.fit(pre, frame, train, y, { C: options.C ?? 1 });
  const p = lr.predictProba(pre.transform(frame, test));
  const m = binaryMetrics(
    Uint8Array.from(test, (i) => y[i] as number),
    p,
    threshold,
  );
  return {
    name: `logistic regression (L2, C = ${lr.state.C})`,
    roc_auc: m.roc_auc,
    accuracy: m.accuracy,
    f1: m.f1,
    log_loss: m.log_loss,
  };
}
