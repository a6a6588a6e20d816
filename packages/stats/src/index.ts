export { ALERT_THRESHOLDS, type Alert, type AlertType, alertsOf, imbalance } from "./analysis/alerts.js";
export { ALONGSIDE_TESTS, type AlongsideKey, type AlongsideResult, type AlongsideTest } from "./analysis/alongside.js";
export { analyze } from "./analysis/analyze.js";
export { dayText, formatP, formatPValue } from "./analysis/readings.js";
export type { Analysis, AnalysisInput, CategoryBars, ColumnAnalysis, FeatureTest, Histogram } from "./analysis/types.js";
export { type CategoricalSummary, describeCategorical, describeNumeric, type NumericSummary, QUANTILES } from "./descriptive/describe.js";
export { RunningMoments } from "./descriptive/moments.js";
export { quantileSorted, sortedPresent } from "./descriptive/quantile.js";
export { chiSquareCdf, chiSquareSf, fSf, normalCdf, normalPpf, normalSf, tSf, tTwoSided } from "./dists.js";
export { type ChiSquareResult, chiSquareIndependence } from "./inference/contingency.js";
export { pearson, pointBiserial, spearman } from "./inference/correlation.js";
export {
  type ColumnDrift,
  categoricalDrift,
  chiSquareGoodnessOfFit,
  type DriftMethod,
  jensenShannonDistance,
  numericDrift,
  twoProportionZ,
  wassersteinDistance,
} from "./inference/drift.js";
export { type ColumnDriftResult, type DriftColumnInput, type DriftReport, driftReport } from "./inference/drift-report.js";
export { kolmogorovSf, ksTwoSample, smirnovSf } from "./inference/kolmogorov-smirnov.js";
export { leveneTest } from "./inference/levene.js";
export { benjaminiHochberg, bonferroni } from "./inference/multiple.js";
export { rankWithTies } from "./inference/ranks.js";
export { shapiroWilk } from "./inference/shapiro.js";
export { cohensD, mannWhitneyU, type TestResult, welchTTest } from "./inference/two-sample.js";
export { betaInc, lnBeta } from "./special/beta.js";
export { gammaP, gammaQ, lnGamma } from "./special/gamma.js";
