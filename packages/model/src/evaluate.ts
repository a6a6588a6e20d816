import type { Frame } from "./frame.js";
import { rocAuc } from "./metrics/curves.js";
import { type BinaryMetrics, binaryMetrics, type Curves, curves, reportAt } from "./metrics/evaluate.js";
import type { PipeModel } from "./model.js";
import { Random } from "./random.js";

export interface Evaluation {
  metrics: BinaryMetrics;
  report: string;
  curves: Curves;
  importance: { feature: string; impurity: number; permutation_mean: number; permutation_std: number }[];
  baselines: { name: string; roc_auc: number; accuracy: number; f1: number; log_loss: number }[];
  scores: Float64Array;
}

/** Permutation importance is measured on at most this many test rows (a seeded sample), to keep it quick. */
export const PERMUTATION_MAX_ROWS = 2000;

/**
 * Scores the held-out rows and computes the metric table, the curves, permutation and impurity
 * importance and the majority-class baseline (the logistic baseline is `logisticBaseline`).
 */
export function evaluateModel(
  model: PipeModel,
  frame: Frame,
  y: Uint8Array,
  rows: Int32Array,
  yTrainRate: number,
  options: { permutationRepeats?: number; seed?: number } = {},
): Evaluation {
  const X = model.preprocessor.transform(frame, rows);
  const yTest = Uint8Array.from(rows, (i) => y[i] as number);
  const forest = model.state.forest;
  const scores = model.predictProba(X);
  const threshold = model.state.threshold;
  const metrics = binaryMetrics(yTest, scores, threshold);
  const negative = model.state.classes.find((c) => c !== model.state.positiveClass) as string;
  const report = reportAt(yTest, scores, threshold, [negative, model.state.positiveClass]);

  // Permutation importance: the drop in test ROC AUC when one feature's values are shuffled.
  const repeats = options.permutationRepeats ?? 5;
  const rng = new Random(options.seed ?? 42);
  const names = model.featureNames;
  let sample = Int32Array.from(rows.keys());
  if (sample.length > PERMUTATION_MAX_ROWS) sample = rng.shuffle(sample).slice(0, PERMUTATION_MAX_ROWS).sort();
  const Xs: Float64Array[] = X.map((col) => Float64Array.from(sample, (k) => col[k] as number));
  const ys = Uint8Array.from(sample, (k) => yTest[k] as number);
  const base = rocAuc(ys, forest.predictProba(Xs));
  const importance = names.map((feature, f) => {
    const original = Xs[f] as Float64Array;
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      Xs[f] = rng.shuffle(Float64Array.from(original));
      drops.push(base - rocAuc(ys, forest.predictProba(Xs)));
    }
    Xs[f] = original;
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    return { feature, impurity: forest.featureImportances[f] as number, permutation_mean: mean, permutation_std: std };
  });
  importance.sort((a, b) => b.permutation_mean - a.permutation_mean || b.impurity - a.impurity);

  const majority = new Float64Array(yTest.length).fill(yTrainRate);
  const m = binaryMetrics(yTest, majority, threshold);
  const baselines = [
    {
      name: "majority class (training positive rate)",
      roc_auc: m.roc_auc,
      accuracy: binaryMetrics(yTest, majority, yTrainRate >= 0.5 ? 0 : 2).accuracy,
      f1: binaryMetrics(yTest, majority, yTrainRate >= 0.5 ? 0 : 2).f1,
      log_loss: m.log_loss,
    },
  ];
  return { metrics, report, curves: curves(yTest, scores), importance, baselines, scores };
}
