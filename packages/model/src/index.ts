export type { DriftReport } from "@pipe/stats";
export { type BaselineResult, type LogisticOptions, logisticBaseline } from "./baselines/logistic.js";
export { GradientBoostingClassifier, type GradientBoostingParams } from "./boosting/gbt.js";
export type { CellBatch } from "./cell-outcomes.js";
export { type DriftReference, DriftSample, PREDICTION_COLUMN, REFERENCE_SAMPLE } from "./drift/reference.js";
export { FeatureError, ModelError, ModelFileError } from "./errors.js";
export { type Evaluation, evaluateModel } from "./evaluate.js";
export type { Contribution, ExplainOptions, Explanation } from "./explain/explanation.js";
export type { ExplainedExample, ExplanationSummary } from "./explain/summary.js";
export { spelledAs } from "./field-spelling.js";
export { type BinEdges, type BinningMethod, binMatrix, binOf, fitBinEdges } from "./forest/binning.js";
export { calibrate, fitOobPlatt, type PlattCalibration } from "./forest/calibration.js";
export { type ForestProgress, RandomForestClassifier, type RandomForestParams } from "./forest/forest.js";
export { startTreeWorkers, stopTreeWorkers } from "./forest/parallel.js";
export { startScoreWorkers, stopScoreWorkers } from "./forest/score-pool.js";
export { type FlatTree, predictTree } from "./forest/tree.js";
export type { FeatureInput, Frame, RawRecord } from "./frame.js";
export { LinearDesign } from "./linear/design.js";
export { LogisticRegression, type LogisticRegressionParams } from "./linear/logistic-regression.js";
export { type SparseRows, sparseFromDense } from "./linear/sparse-rows.js";
export type { AucInterval } from "./metrics/auc-interval.js";
export { type Confusion, confusion, confusionMatrix, labelsAt } from "./metrics/confusion.js";
export {
  averagePrecision,
  binaryClfCurve,
  type CalibrationCurve,
  calibrationCurve,
  type PrCurve,
  precisionRecallCurve,
  type RocCurve,
  rocAuc,
  rocCurve,
} from "./metrics/curves.js";
export { type BinaryMetrics, bestF1Threshold, binaryMetrics, type Curves, curves, reportAt } from "./metrics/evaluate.js";
export { formatFixed } from "./metrics/format.js";
export { metricsMarkdown } from "./metrics/markdown.js";
export { brierScore, logLoss } from "./metrics/probabilistic.js";
export { classificationReport } from "./metrics/report.js";
export { computeMetrics, METRICS, type MetricDefinition, type MetricInputs, type MetricName, metricDefinition } from "./metrics/table.js";
export { BinaryMetricsTally } from "./metrics/tally.js";
export { accuracy, balancedAccuracy, f1, matthewsCorrcoef, precision, recall, specificity } from "./metrics/threshold-metrics.js";
export type { ImbalanceAdvice, MetricsDoc, ModelSelection } from "./metrics-doc.js";
export {
  type BoostingState,
  type ExplainedPrediction,
  type FeatureSchemaEntry,
  type IgnoredField,
  type InputFields,
  type Lineage,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  PipeModel,
  type Prediction,
  sha256,
  type TrainingInfo,
} from "./model.js";
export type { FittedBins } from "./preprocess/bins.js";
export type { CleaningRules } from "./preprocess/cleaning.js";
export { type DatePart, isoTime } from "./preprocess/date-parts.js";
export { type DayMonthOrder, isoOfLocalDate } from "./preprocess/local-dates.js";
export { isNumericText, type LocalNumberForm, plainOfLocalNumber } from "./preprocess/local-numbers.js";
export { type CellCleaner, flagLabel, Preprocessor, type PreprocessorOptions } from "./preprocess/preprocessor.js";
export { type CategoricalSpec, type ColumnSpec, type DateSpec, type NumericSpec, OTHER_LEVEL } from "./preprocess/spec.js";
export { type EngineTrainOptions, type EngineTrainResult, type SqlEngine, trainForestInEngine } from "./pushdown/train-in-engine.js";
export { deriveSeed, Random } from "./random.js";
export { CellScorer, type CellScores, type EncodedCells, NO_FIELDS } from "./score-cells.js";
export { stratifiedKFold, stratifiedSplit, type TrainTestSplit } from "./split/stratified.js";
export { type ModelSql, type ModelSqlOptions, modelSql, SqlBudgetError } from "./sql/model-sql.js";
export { smallTestSplit, type TestSplitCounts } from "./test-split-caution.js";
export { type CvSummary, crossValidate, fitPipeline, type ModelKind, type TrainOptions, type TrainResult, trainModel } from "./train.js";
export { type BaselineScore, type LeakageEvidence, type Verdict, verdictAgainst } from "./verdict.js";
