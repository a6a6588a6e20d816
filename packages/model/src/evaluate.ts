import { type BaselineResult, logisticBaseline } from "./baselines/logistic.js";
import { type ExplanationSummary, explainTestRows } from "./explain/summary.js";
import type { Frame } from "./frame.js";
import { type AucInterval, rocAucInterval } from "./metrics/auc-interval.js";
import { type BinaryMetrics, binaryMetrics, type Curves, curves, reportAt } from "./metrics/evaluate.js";
import type { PipeModel } from "./model.js";
import { permutationDrops } from "./permutation.js";
import { Random } from "./random.js";

export interface Evaluation {
  metrics: BinaryMetrics;
  report: string;
  curves: Curves;
  /** Per matrix column (`feature`), with the input column it comes from (`column`: a date part's, a missing indicator's). */
  importance: { feature: string; column: string; impurity: number; permutation_mean: number; permutation_std: number }[];
  baselines: { name: string; roc_auc: number; accuracy: number; f1: number; log_loss: number }[];
  scores: Float64Array;
  /** The test ROC AUC's 95% confidence interval (DeLong; null with fewer than two rows of a class). */
  rocAucInterval: AucInterval | null;
  /** TreeSHAP over a sample of the test rows (null for a model file without node covers). */
  explanations: ExplanationSummary | null;
}

/** Permutation importance is measured on at most this many test rows (a seeded sample), to keep it quick. */
export const PERMUTATION_MAX_ROWS = 2000;

/**
 * Scores the held-out rows and computes the metric table, the curves, permutation and impurity
 * importance and the majority-class baseline, and the logistic baseline when given its training rows.
 */
export async function evaluateModel(
  model: PipeModel,
  frame: Frame,
  y: Uint8Array,
  rows: Int32Array,
  yTrainRate: number,
  options: {
    permutationRepeats?: number;
    seed?: number;
    threads?: number;
    /** Also fit the logistic baseline on these training rows (see logisticBaseline), while the forest scores on workers. */
    logisticTrain?: Int32Array;
  } = {},
): Promise<Evaluation> {
  const X = model.preprocessor.transform(frame, rows);
  const yTest = Uint8Array.from(rows, (i) => y[i] as number);
  const forest = model.state.forest;
  const threads = { threads: options.threads };
  // The model's raw score (the trees' mean, or log-odds), kept for the permutation sample; mapped (as model.predictProba does) for the metrics.
  const raw = await model.rawScoresAsync(X, threads);
  const scores = model.mapsScore ? Float64Array.from(raw, (p) => model.probabilityOf(p)) : raw;
  const threshold = model.state.threshold;
  const metrics = binaryMetrics(yTest, scores, threshold);
  const negative = model.state.classes.find((c) => c !== model.state.positiveClass) as string;
  const report = reportAt(yTest, scores, threshold, [negative, model.state.positiveClass]);

  // Permutation importance: the drop in test ROC AUC when one feature's values are shuffled.
  const repeats = options.permutationRepeats ?? 5;
  const rng = new Random(options.seed ?? 42);
  const names = model.featureNames;
  const inputColumns = model.preprocessor.outputColumns;
  let sample = Int32Array.from(rows.keys());
  if (sample.length > PERMUTATION_MAX_ROWS) sample = rng.shuffle(sample).slice(0, PERMUTATION_MAX_ROWS).sort();
  const Xs: Float64Array[] = X.map((col) => Float64Array.from(sample, (k) => col[k] as number));
  const ys = Uint8Array.from(sample, (k) => yTest[k] as number);
  let logistic: BaselineResult | undefined;
  const { logisticTrain } = options;
  const fitLogistic = logisticTrain ? () => (logistic = logisticBaseline(model.preprocessor, frame, y, logisticTrain, rows, threshold)) : undefined;
  // The sample's unshuffled scores are the forest's scores of those test rows.
  const known = Float64Array.from(sample, (k) => raw[k] as number);
  const cuts = model.linear ? null : forest.packedTrees().cuts;
  const drops = await permutationDrops((M, o) => model.rawScoresAsync(M, o), cuts, Xs, ys, repeats, rng, options.threads, fitLogistic, known);
  const importance = names.map((feature, f) => {
    const d = drops[f] as number[];
    const mean = d.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    return { feature, column: inputColumns[f] ?? feature, impurity: forest.featureImportances[f] as number, permutation_mean: mean, permutation_std: std };
  });
  importance.sort((a, b) => b.permutation_mean - a.permutation_mean || b.impurity - a.impurity);

  const majority = new Float64Array(yTest.length).fill(yTrainRate);
  const mm = binaryMetrics(yTest, majority, threshold);
  const baselines = [
    {
      name: "majority class (training positive rate)",
      roc_auc: mm.roc_auc,
      accuracy: binaryMetrics(yTest, majority, yTrainRate >= 0.5 ? 0 : 2).accuracy,
      f1: binaryMetrics(yTest, majority, yTrainRate >= 0.5 ? 0 : 2).f1,
      log_loss: mm.log_loss,
    },
  ];
  if (logistic) baselines.push(logistic);
  const explanations = await explainTestRows(model, frame, rows, options.seed ?? 42, options.threads);
  return { metrics, report, curves: curves(yTest, scores), importance, baselines, scores, rocAucInterval: rocAucInterval(yTest, scores), explanations };
}
