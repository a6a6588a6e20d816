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

/** A baseline beats the model by at least this much ROC AUC or log loss, or not at all. */
const MARGIN = 0.001;

/** A test ROC AUC this high is rare on real data: the mark of a feature that gives the target away. */
const LEAKAGE_AUC = 0.999;
/** Test rows of each class below which a perfect separation may be luck: no warning then. */
const LEAKAGE_ROWS_PER_CLASS = 30;

/** What the leakage check needs besides the model's test ROC AUC. */
export interface LeakageEvidence {
  /** Test rows of each class. */
  positives: number;
  negatives: number;
  /** evaluate's permutation importance: the drop in test ROC AUC when a matrix column is shuffled. */
  importance: readonly { feature: string; permutation_mean: number }[];
  /** The input column of each matrix column (a missing indicator's, a date part's), by the matrix column's name. */
  columns: Readonly<Record<string, string>>;
}

/** Each input column's largest permutation drop, most first. */
function columnLeaders(evidence: LeakageEvidence): { column: string; drop: number }[] {
  const best = new Map<string, number>();
  for (const { feature, permutation_mean } of evidence.importance) {
    const column = evidence.columns[feature] ?? feature;
    best.set(column, Math.max(best.get(column) ?? Number.NEGATIVE_INFINITY, permutation_mean));
  }
  return [...best].map(([column, drop]) => ({ column, drop })).sort((a, b) => b.drop - a.drop);
}

/**
 * Compares the model's test ROC AUC (higher is better) and log loss (lower is better) with each
 * baseline's on the same rows. A model that a logistic regression beats is saying the data is close
 * to linear (or the forest overfits it); one that the majority class beats on log loss has
 * probabilities worse than the base rate. Ties count as not beaten, and so do differences under
 * {@link MARGIN}: shown to three decimals they read as "0.283 vs 0.283", and a test split of a few hundred
 * rows cannot tell them apart.
 */
export function verdictAgainst(
  model: { name: string; roc_auc: number; log_loss: number },
  baselines: readonly BaselineScore[],
  leakage?: LeakageEvidence,
): Verdict {
  const beaten: Verdict["beaten_by"] = [];
  for (const b of baselines) {
    if (b.roc_auc - model.roc_auc >= MARGIN) beaten.push({ baseline: b.name, metric: "roc_auc", model: model.roc_auc, baseline_value: b.roc_auc });
    if (model.log_loss - b.log_loss >= MARGIN) beaten.push({ baseline: b.name, metric: "log_loss", model: model.log_loss, baseline_value: b.log_loss });
  }
  if (beaten.length === 0) return { beaten_by: [], message: leakage ? tooGoodMessage(model, leakage) : null };
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

/**
 * A model that separates enough test rows (almost) perfectly is more often reading the answer than
 * predicting it: a column computed from the target, or recorded after it is known (a cancellation date for
 * churn, a state beside the latitude and longitude it was derived from). The analysis flags a column that
 * does so alone; this catches columns that do it together, naming those the model leans on. Some problems
 * are that easy (KDD Cup 99's attacks), so it asks rather than asserts.
 */
function tooGoodMessage(model: { name: string; roc_auc: number }, evidence: LeakageEvidence): string | null {
  const auc = model.roc_auc;
  if (!(auc >= LEAKAGE_AUC) || Math.min(evidence.positives, evidence.negatives) < LEAKAGE_ROWS_PER_CLASS) return null;
  const leaders = columnLeaders(evidence)
    .filter((l) => l.drop > 0.001)
    .slice(0, 3);
  const question = `The ${model.name} separates the ${evidence.positives + evidence.negatives} test rows ${auc === 1 ? "perfectly" : "almost perfectly"} (ROC AUC ${auc === 1 ? "1.0000" : auc.toFixed(auc < 0.9999 ? 4 : 6)}), which real data rarely allows: check that no column gives the target away (computed from it, or recorded after it is known — target leakage)`;
  const first = leaders[0];
  if (!first)
    return `${question}; no single column matters to it on its own (shuffling any one costs under 0.001 of ROC AUC), so look for several that carry the same answer — or the problem is that easy.`;
  const leaning = leaders.map((l) => `${l.column} (shuffling it costs ${fmt(l.drop)} of ROC AUC)`).join(", ");
  return `${question}; it leans most on ${leaning}. If one leaks, drop it with --set 'etl.rules.${first.column.replaceAll("'", "'\\''")}={"drop": true}' and train again.`;
}
