import { METRICS } from "@pipe/model";
import type { MetricsDoc } from "../types.js";
import { explanationMethod, modelDescription, modelImportanceName, modelKindName } from "./model-kind.js";
import { num, textTable } from "./table.js";

/**
 * metrics.txt: the headline metrics, the confusion matrix and scikit-learn's classification report.
 *
 * @example
 * const text = formatMetricsText(JSON.parse(readFileSync("out/metrics.json", "utf8")));
 */
export function formatMetricsText(m: MetricsDoc): string {
  const [[tn, fp], [fn, tp]] = m.confusion_matrix;
  const lines: string[] = [];
  lines.push(`Model evaluation: ${m.target} (positive class "${m.positive_class}")`);
  lines.push(
    `${modelDescription(m)}${m.model.calibration ? ", probabilities calibrated on its out-of-bag scores" : ""}; trained on ${m.n_train} rows, evaluated on ${m.n_test} held-out rows${m.split ? ` (${m.split})` : ""}; threshold ${num(m.threshold)}.`,
  );
  if (m.verdict?.message) lines.push("", `Verdict: ${m.verdict.message}`);
  if (m.test_caution) lines.push("", `Caution: ${m.test_caution}`);
  lines.push("");
  // Every metric of the table that the document holds (an older metrics.json may lack a newer one).
  const metricRows: [string, number][] = METRICS.filter((d) => typeof m[d.name] === "number").map((d) => [d.name, m[d.name]]);
  const withCv = m.cv !== null;
  lines.push(
    textTable(
      withCv ? ["metric", "test", `cv mean (${m.cv?.folds} folds)`, "cv std"] : ["metric", "test"],
      metricRows.map(([k, v]) =>
        withCv ? [k, v.toFixed(4), (m.cv?.mean[k] ?? Number.NaN).toFixed(4), (m.cv?.std[k] ?? Number.NaN).toFixed(4)] : [k, v.toFixed(4)],
      ),
      [false, true, true, true],
    ),
  );
  // An interval of no width (a perfect separation, or every score tied) says nothing: not shown.
  if (m.roc_auc_ci && m.roc_auc_ci.se > 0)
    lines.push(`\nTest ROC AUC 95% confidence interval (${m.roc_auc_ci.method}): ${m.roc_auc_ci.low.toFixed(4)} to ${m.roc_auc_ci.high.toFixed(4)}`);
  if (m.oob) lines.push(`\nOut-of-bag (training rows): roc_auc ${m.oob.roc_auc.toFixed(4)}, accuracy ${m.oob.accuracy.toFixed(4)}`);
  lines.push("");
  lines.push("Confusion matrix (rows: actual, columns: predicted)");
  lines.push(
    textTable(
      ["", `pred ${m.negative_class}`, `pred ${m.positive_class}`],
      [
        [`actual ${m.negative_class}`, String(tn), String(fp)],
        [`actual ${m.positive_class}`, String(fn), String(tp)],
      ],
      [false, true, true],
    ),
  );
  lines.push("");
  lines.push("Classification report");
  lines.push(m.classification_report.trimEnd());
  lines.push("");
  lines.push("Baselines on the same test rows");
  lines.push(
    textTable(
      ["model", "roc_auc", "accuracy", "f1", "log_loss"],
      [
        [modelKindName(m), m.roc_auc.toFixed(4), m.accuracy.toFixed(4), m.f1.toFixed(4), m.log_loss.toFixed(4)],
        ...m.baselines.map((b) => [b.name, b.roc_auc.toFixed(4), b.accuracy.toFixed(4), b.f1.toFixed(4), b.log_loss.toFixed(4)]),
      ],
      [false, true, true, true, true],
    ),
  );
  lines.push("");
  const importanceName = modelImportanceName(m);
  lines.push(`Feature importance (permutation: drop in test ROC AUC; ${importanceName.long})`);
  lines.push(
    textTable(
      ["feature", "permutation", "± std", importanceName.short],
      m.importance.slice(0, 20).map((i) => [i.feature, i.permutation_mean.toFixed(4), i.permutation_std.toFixed(4), i.impurity.toFixed(4)]),
      [false, true, true, true],
    ),
  );
  const sel = m.model_selection;
  if (sel) {
    lines.push("");
    lines.push(`Model choice (--model auto, ${sel.folds}-fold cross-validation on the training rows): ${sel.note}`);
    lines.push(
      textTable(
        ["model", "cv roc_auc", "± sd", "test roc_auc", "test log_loss", "fit s", "saved"],
        sel.candidates.map((c) => [
          c.name,
          c.cv_roc_auc_mean.toFixed(4),
          c.cv_roc_auc_std.toFixed(4),
          c.test_roc_auc.toFixed(4),
          c.test_log_loss.toFixed(4),
          c.fit_seconds.toFixed(2),
          c.saved ? "yes" : "",
        ]),
        [false, true, true, true, true, true, false],
      ),
    );
  }
  const adv = m.imbalance_advice;
  if (adv) {
    lines.push("");
    lines.push(`Class imbalance (1 − entropy/ln 2 = ${adv.imbalance.toFixed(3)} > ${adv.threshold}): ${adv.advice}`);
    lines.push(
      textTable(
        ["model", "threshold", "f1", "recall", "precision", "balanced_accuracy", "roc_auc"],
        adv.options.map((o) => [
          o.flag ?? o.name,
          o.threshold.toFixed(4),
          o.f1.toFixed(4),
          o.recall.toFixed(4),
          o.precision.toFixed(4),
          o.balanced_accuracy.toFixed(4),
          o.roc_auc.toFixed(4),
        ]),
        [false, true, true, true, true, true, true],
      ),
    );
  }
  const ex = m.explanations;
  if (ex && ex.rows > 0) {
    lines.push("");
    lines.push(
      `Explanations (${explanationMethod(m) === "TreeSHAP" ? "TreeSHAP: exact Shapley contributions to the score" : explanationMethod(m)}; base value ${ex.base_value.toFixed(4)}, ${ex.rows === ex.of ? `all ${ex.of}` : `${ex.rows} of ${ex.of}`} test rows)`,
    );
    lines.push(
      textTable(
        ["column", "mean |contribution|"],
        ex.importance.slice(0, 20).map((i) => [i.column, i.mean_abs.toFixed(4)]),
        [false, true],
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
