import type { MetricsDoc } from "../types.js";

/** What the saved model is, in lower case: "random forest", "gradient-boosted trees", "logistic regression". */
export function modelKindName(m: MetricsDoc): string {
  return m.model.kind === "gbt" ? "gradient-boosted trees" : m.model.kind === "logistic" ? "logistic regression" : "random forest";
}

/** The model in a phrase with its size: "Random forest with 100 trees", "Gradient-boosted trees: 87 boosting iterations (…)". */
export function modelDescription(m: MetricsDoc): string {
  if (m.model.kind === "gbt") return `Gradient-boosted trees: ${m.model.trees} boosting iterations (log loss, histogram splits)`;
  if (m.model.kind === "logistic") {
    const weights = m.model.hyperparameters.weights;
    return `Logistic regression (L2, C = ${String(m.model.hyperparameters.C ?? 1)})${typeof weights === "number" ? ` with ${weights} weights` : ""} on standardised numbers and one-hot categories`;
  }
  return `Random forest with ${m.model.trees} trees`;
}

/** What a prediction's explained score is, for a model predicting `positive`. */
export function scoreDescription(m: MetricsDoc, positive: string): string {
  if (m.model.kind === "gbt") return `the boosted trees' log-odds of ${positive}; the probability is its sigmoid`;
  if (m.model.kind === "logistic") return `the logistic regression's log-odds of ${positive}; the probability is its sigmoid`;
  return `the mean of the trees' votes for ${positive}${m.model.calibration ? "; the probability is this score calibrated" : ""}`;
}

/** What the `impurity` column of the importance table measures for this model. */
export function modelImportanceName(m: MetricsDoc): { short: string; long: string } {
  return m.model.kind === "logistic"
    ? { short: "weight", long: "weight: share of the mean |term − its training mean| in the log-odds" }
    : { short: "impurity", long: "impurity: mean decrease in Gini" };
}

/** How the explanations were computed, in a few words. */
export function explanationMethod(m: MetricsDoc): string {
  return m.model.kind === "logistic" ? "exact Shapley values of the log-odds' terms" : "TreeSHAP";
}
