import { binaryMetrics, type FeatureInput, type Frame, type ImbalanceAdvice, type PipeModel, type TrainTestSplit, trainModel } from "@pipe/model";
import { ALERT_THRESHOLDS, imbalance } from "@pipe/stats";

/**
 * For an imbalanced target (the analysis' imbalance alert: 1 − entropy / ln 2 above 0.5, under
 * about 11% of one class), what `--threshold best-f1` and `--class-weight balanced` would give: the
 * model trained again each way on the same training rows, and all three scored on the same test
 * rows. Null for a balanced target.
 */
export async function imbalanceAdvice(
  model: PipeModel,
  frame: Frame & { y: Uint8Array },
  features: readonly FeatureInput[],
  split: TrainTestSplit,
  testScores: Float64Array,
  threads?: number,
): Promise<ImbalanceAdvice | null> {
  const y = frame.y;
  let positives = 0;
  for (const i of split.train) positives += y[i] as number;
  const value = imbalance([split.train.length - positives, positives]);
  if (value <= ALERT_THRESHOLDS.imbalance) return null;
  const s = model.state;
  const yTest = Uint8Array.from(split.test, (i) => y[i] as number);
  const base = {
    target: s.target,
    classes: s.classes,
    positiveClass: s.positiveClass,
    testSize: s.training.test_size,
    seed: s.training.seed,
    dataSha256: s.training.data_sha256,
    preprocessing: {
      minCategoryCount: s.preprocessing.minCategoryCount,
      maxLevels: s.preprocessing.maxLevels,
      missingIndicators: s.preprocessing.missingIndicators,
    },
    calibration: s.calibration ? ("platt-oob" as const) : ("none" as const),
    // The same kind of model as the one trained (a logistic regression weighs its classes by forest.classWeight too).
    model: model.kind,
    ...(s.boosting ? { boosting: { ...s.boosting.params } } : {}),
    ...(threads ? { threads } : {}),
  };
  const figures = (name: string, flag: string | null, scores: Float64Array, threshold: number) => {
    const m = binaryMetrics(yTest, scores, threshold);
    return { name, flag, threshold, f1: m.f1, recall: m.recall, precision: m.precision, balanced_accuracy: m.balanced_accuracy, roc_auc: m.roc_auc };
  };
  const scoresOf = (m: PipeModel) => m.predictProba(m.preprocessor.transform(frame, split.test));
  const tuned = (await trainModel(frame, features, y, { ...base, forest: { ...s.forest.params }, threshold: "best-f1" })).model;
  const balanced = (await trainModel(frame, features, y, { ...base, forest: { ...s.forest.params, classWeight: "balanced" }, threshold: s.threshold })).model;
  const options = [
    figures("as trained", null, testScores, s.threshold),
    figures("threshold chosen for F1 (3-fold CV on the training rows)", "--threshold best-f1", scoresOf(tuned), tuned.state.threshold),
    figures("balanced class weights", "--class-weight balanced", scoresOf(balanced), balanced.state.threshold),
  ];
  const [current, ...others] = options as [(typeof options)[number], ...(typeof options)[number][]];
  const best = others.reduce((a, b) => (b.f1 > a.f1 ? b : a));
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const advice =
    best.f1 >= current.f1 + 0.01
      ? `${s.positiveClass} is ${pct(positives / split.train.length)} of the training rows: ${best.flag} would help, test F1 ${current.f1.toFixed(3)} → ${best.f1.toFixed(3)} (recall ${current.recall.toFixed(3)} → ${best.recall.toFixed(3)}, precision ${current.precision.toFixed(3)} → ${best.precision.toFixed(3)}).`
      : `${s.positiveClass} is ${pct(positives / split.train.length)} of the training rows, but neither --threshold best-f1 nor --class-weight balanced raises test F1 (${current.f1.toFixed(3)} as trained); compare the models by ROC AUC and average precision, which do not depend on a threshold.`;
  return { positive_rate: positives / split.train.length, imbalance: value, threshold: ALERT_THRESHOLDS.imbalance, options, advice };
}
