/** What a baseline scored on the test rows (see evaluate's baselines). */
export interface BaselineScore {
  name: string;
  roc_auc: number;
  log_loss: number;
}

/** The trained model against its baselines, in one line to show wherever the model's figures are shown. */
export interface Verdict {
  /** Baselines that beat the model on test ROC AUC or log loss, with both figures. */
  beaten_by: { baseline: string; metric: "roc_auc" | "log_loss"; model: number; baseline_value: number }[];
  /** One sentence: what happened and what to do about it; null when the model beats every baseline. */
  message: string | null;
}

const fmt = (x: number) => x.toFixed(3);

/**
 * Compares the model's test ROC AUC (higher is better) and log loss (lower is better) with each
 * baseline's on the same rows. A model that a logistic regression beats is saying the data is close
 * to linear (or the forest overfits it); one that the majority class beats on log loss has
 * probabilities worse than the base rate. Ties count as not beaten.
 */
export function verdictAgainst(model: { name: string; roc_auc: number; log_loss: number }, baselines: readonly BaselineScore[]): Verdict {
  const beaten: Verdict["beaten_by"] = [];
  for (const b of baselines) {
    if (b.roc_auc > model.roc_auc) beaten.push({ baseline: b.name, metric: "roc_auc", model: model.roc_auc, baseline_value: b.roc_auc });
    if (b.log_loss < model.log_loss) beaten.push({ baseline: b.name, metric: "log_loss", model: model.log_loss, baseline_value: b.log_loss });
  }
  if (beaten.length === 0) return { beaten_by: [], message: null };
  const first = beaten[0] as Verdict["beaten_by"][number];
  const same = beaten.filter((x) => x.baseline === first.baseline);
  const figures = same
    .map((x) => (x.metric === "roc_auc" ? `ROC AUC ${fmt(x.baseline_value)} vs ${fmt(x.model)}` : `log loss ${fmt(x.baseline_value)} vs ${fmt(x.model)}`))
    .join(", ");
  const linear = /logistic/i.test(first.baseline);
  const boosted = /boost/i.test(model.name);
  const advice = linear
    ? boosted
      ? "the data looks close to linear: prefer the logistic regression here, or regularise the boosted trees (--set model.boosting.l2Regularization=1, --set model.boosting.maxLeafNodes=8) and compare again"
      : "the data looks close to linear: prefer the logistic regression here, or make the forest smoother (--min-samples-leaf 5, --max-features 0.5) and compare again"
    : "its probabilities are no better than always predicting the training rate: check the target and the features, or add rows";
  return { beaten_by: beaten, message: `The ${first.baseline} beats the ${model.name} on the test rows (${figures}): ${advice}.` };
}
