import { METRICS } from "@pipe/model";
import type { Analysis } from "@pipe/stats";
import type { EtlSummary, MetricsDoc } from "../types.js";
import { modelDescription } from "./model-kind.js";
import { num, pct } from "./table.js";

/** The model card as terms and plain-text descriptions: report.html shows them, model_card.md is them. */
export function modelCardEntries(analysis: Analysis, metrics: MetricsDoc, etl: EtlSummary): { term: string; text: string }[] {
  const a = analysis;
  const m = metrics;
  const pos = a.overview.positive_class;
  const entries = [
    {
      term: "Model",
      text: `${modelDescription(m)}; hyper-parameters: ${Object.entries(m.model.hyperparameters)
        .map(([k, v]) => `${k} ${v === null ? "none" : String(v)}`)
        .join(
          ", ",
        )}${m.model.calibration ? ", probabilities Platt-calibrated on its out-of-bag scores" : ""}; decision threshold ${num(m.threshold)}; version ${m.model.version}, trained ${m.model.created_at}.`,
    },
    {
      term: "Data",
      text: `${etl.input}${etl.bytes !== null ? ` (${etl.bytes} bytes, ${etl.rows_in} rows)` : ` (${etl.rows_in} rows)`}: ${etl.rows_out} rows after cleaning (${etl.rows_rejected} rejected, each with its reason in rejected.csv); ${a.overview.features} features; ${pct(a.overview.positive_rate)} of rows are ${pos}.`,
    },
    {
      term: "Intended use",
      text: `Scoring new records drawn from the same population as the training data to estimate the probability that ${a.overview.target} is ${pos}. Not for decisions about individuals without human review.`,
    },
    {
      term: "Evaluation",
      text: `${m.split ? `${m.n_test} rows ${m.split}` : `Stratified ${Math.round((100 * m.n_test) / (m.n_train + m.n_test))}% hold-out (${m.n_test} rows)`}, never seen in training; preprocessing (imputation, category codes) fitted on training rows only${m.cv ? `; ${m.cv.folds}-fold cross-validation on the training rows` : ""}. Test ROC AUC ${num(m.roc_auc)}, accuracy ${num(m.accuracy)}, F1 ${num(m.f1)}, log loss ${num(m.log_loss)}.`,
    },
    {
      term: "Limits",
      text: `The model learns associations, not causes. Records unlike the training data (unseen categories, values outside the training range) are still scored but flagged with warnings by the API; \`pipe drift\` and GET /drift tell when new data stops looking like the training data. Performance on other populations or later periods is unknown until measured.${m.roc_auc < 0.7 ? " The test ROC AUC is modest: treat scores as weak evidence." : ""}`,
    },
  ];
  const l = m.model.lineage;
  if (l)
    entries.push({
      term: "Lineage",
      text: `Input ${l.input} (SHA-256 ${l.input_sha256 ?? "not taken: not a local file"}); processed data SHA-256 ${l.processed_sha256}; settings SHA-256 ${l.config_sha256} (the settings themselves, ETL rules included, in model_card.json); code at ${l.git_commit ? `git commit ${l.git_commit}` : "no git commit (not run in a repository)"}.`,
    });
  const v = m.model.versions;
  if (v && Object.keys(v).length > 0)
    entries.push({
      term: "Software",
      text: `Trained with ${Object.entries(v)
        .map(([k, version]) => `${k} ${version}`)
        .join(", ")}.`,
    });
  return entries;
}

/**
 * model_card.json: the card for machines — what the model is, the data before and after the ETL (name,
 * size, rows, hashes), the full settings and rules it was made with, the code and versions, the test
 * and cross-validation figures, and the card's plain-text entries (intended use and limits among them).
 */
export function modelCardDocument(analysis: Analysis, metrics: MetricsDoc, etl: EtlSummary) {
  const m = metrics;
  const l = m.model.lineage;
  const figures = Object.fromEntries(METRICS.map(({ name }) => [name, m[name]]));
  const entries = modelCardEntries(analysis, metrics, etl);
  const text = (term: string) => entries.find((e) => e.term === term)?.text ?? null;
  return {
    format: "pipe-model-card",
    format_version: 1,
    model: {
      kind: m.model.kind ?? "forest",
      description: modelDescription(m),
      version: m.model.version,
      created_at: m.model.created_at,
      target: m.target,
      positive_class: m.positive_class,
      threshold: m.threshold,
      hyperparameters: m.model.hyperparameters,
      calibration: m.model.calibration ?? null,
    },
    data: {
      input: etl.input,
      bytes: etl.bytes,
      sha256: etl.input_sha256 ?? l?.input_sha256 ?? null,
      rows_in: etl.rows_in,
      rows_out: etl.rows_out,
      rows_rejected: etl.rows_rejected,
      rejected_by_rule: etl.rejected_by_rule,
      dropped_columns: etl.dropped_columns,
      processed_sha256: l?.processed_sha256 ?? null,
      features: analysis.overview.features,
      positive_rate: analysis.overview.positive_rate,
    },
    settings: l ? { sha256: l.config_sha256, resolved: l.config } : null,
    code: { git_commit: l?.git_commit ?? null, versions: m.model.versions ?? {} },
    metrics: {
      n_train: m.n_train,
      n_test: m.n_test,
      test: figures,
      cv: m.cv ? { folds: m.cv.folds, mean: m.cv.mean, std: m.cv.std } : null,
      baselines: m.baselines,
      verdict: m.verdict?.message ?? null,
    },
    intended_use: text("Intended use"),
    evaluation: text("Evaluation"),
    limits: text("Limits"),
    entries,
  };
}

/** model_card.md: the card on its own, for a model registry or a pull request. */
export function formatModelCard(analysis: Analysis, metrics: MetricsDoc, etl: EtlSummary): string {
  const lines = [`# Model card: ${analysis.overview.target} = ${analysis.overview.positive_class}`, ""];
  for (const e of modelCardEntries(analysis, metrics, etl)) lines.push(`## ${e.term}`, "", e.text, "");
  return lines.join("\n");
}
