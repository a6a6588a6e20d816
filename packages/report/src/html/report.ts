import { METRICS } from "@pipe/model";
import type { Analysis } from "@pipe/stats";
import { formatPValue } from "@pipe/stats";
import { CHARTED_FEATURES, type Chart, chartedFeatures } from "../charts/sets.js";
import { esc } from "../charts/svg.js";
import { columnTables } from "../text/column-tables.js";
import { DRIFT_HEADER, type DriftDoc, driftRows, driftVerdict } from "../text/drift-text.js";
import { modelCardEntries } from "../text/model-card.js";
import { modelDescription, modelKindName, scoreDescription } from "../text/model-kind.js";
import { num, pct } from "../text/table.js";
import type { EtlSummary, MetricsDoc } from "../types.js";
import { STYLE } from "./style.js";

export interface ReportInput {
  title?: string;
  analysis: Analysis;
  metrics: MetricsDoc;
  etl: EtlSummary;
  charts: Chart[];
  /** A few rejected rows (header first) to show in the data-quality section. */
  rejectedSample?: string[][];
  generatedAt: string;
  versions: Record<string, string>;
  /** plotly.js source to inline for interactive charts; without it the charts are static SVG. */
  plotly?: string;
  /** The last `pipe drift` of this model's version, when there is one: a section of its own. */
  drift?: DriftDoc;
}

const modelName = modelKindName;

/** A table: columns from `numericFrom` on are figures (right-aligned); `prose`: a last column of sentences, which wrap. */
const table = (header: string[], rows: string[][], numericFrom = 1, prose = false) =>
  `<div class="scroll"><table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((c, j) => `<td${prose && j === r.length - 1 ? ' class="prose"' : j >= numericFrom ? ' class="n"' : ""}>${esc(c)}</td>`).join("")}</tr>`,
    )
    .join("")}</tbody></table></div>`;

const figure = (c: Chart, index: number) =>
  `<figure id="chart-${esc(c.name)}" class="chart" data-chart="${esc(c.name)}" data-index="${index}"><div class="plot"></div><div class="static">${c.svg}</div><figcaption>${esc(c.title)}</figcaption></figure>`;

/**
 * Each input column's permutation importance as the explanations' table shows it: a column measured in
 * one matrix column gets its drop; one measured in several (a date's parts, a number and its missing
 * indicator) gets the largest, naming the part — the contributions fold the parts, the permutations do not.
 * Metrics of earlier versions name no input column: a matrix column then stands for the input column of its name.
 */
function permutationByColumn(importance: MetricsDoc["importance"]): Map<string, string> {
  const parts = new Map<string, { feature: string; drop: number }[]>();
  for (const i of importance) {
    const column = i.column ?? i.feature;
    parts.set(column, [...(parts.get(column) ?? []), { feature: i.feature, drop: i.permutation_mean }]);
  }
  const shown = new Map<string, string>();
  for (const [column, list] of parts) {
    const top = list.reduce((a, b) => (b.drop > a.drop ? b : a));
    shown.set(column, list.length === 1 ? num(top.drop, 4) : `${num(top.drop, 4)} (${top.feature})`);
  }
  return shown;
}

/** Says which features the analysis charts show when they do not show every one. */
function chartNote(a: Analysis): string {
  const { total } = chartedFeatures(a);
  if (total <= CHARTED_FEATURES) return "";
  return `<p>The charts below show the ${CHARTED_FEATURES} features most associated with ${esc(a.overview.target)} (the first rows of the table above) of ${total}; analysis.json holds every feature's test and chart data.</p>`;
}

/** JSON safe inside a <script> element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replaceAll("<", "\\u003c");

// Draws each figure with Plotly when it is there, and keeps the SVG when it is not (or fails).
const INIT = `(function(){var f=JSON.parse(document.getElementById("figures").textContent);if(typeof Plotly==="undefined")return;
document.querySelectorAll("figure.chart").forEach(function(el){var d=f[Number(el.dataset.index)];var p=el.querySelector(".plot");
el.classList.add("interactive");
Plotly.newPlot(p,d.data,d.layout,{responsive:true,displaylogo:false,modeBarButtonsToRemove:["sendDataToCloud"]}).catch(function(){el.classList.remove("interactive");});});})();`;

/**
 * One self-contained HTML page: nothing from the network. Charts are interactive Plotly figures when
 * `plotly` is given (inlined once), with their SVG twins shown without JavaScript.
 *
 * @example
 * const html = renderReportHtml({
 *   analysis: JSON.parse(readFileSync("out/analysis.json", "utf8")),
 *   metrics: JSON.parse(readFileSync("out/metrics.json", "utf8")),
 *   etl: JSON.parse(readFileSync("out/etl_report.json", "utf8")),
 *   charts: [],
 *   generatedAt: new Date().toISOString(),
 *   versions: {},
 * });
 */
export function renderReportHtml(r: ReportInput): string {
  const a = r.analysis;
  const m = r.metrics;
  const [neg, pos] = a.overview.classes;
  const title = r.title ?? `pipe report: ${a.overview.target}`;
  const cards = [
    ["rows kept", `${r.etl.rows_out} of ${r.etl.rows_in}`],
    ["test ROC AUC", m.roc_auc.toFixed(3)],
    ["accuracy", m.accuracy.toFixed(3)],
    ["F1", m.f1.toFixed(3)],
    [`${pos} rate`, pct(a.overview.positive_rate)],
  ];
  const tables = columnTables(a);
  const [[tn, fp], [fn, tp]] = m.confusion_matrix;
  const sections: string[] = [];
  // Figures keep their index in r.charts, which is where the Plotly twins are looked up.
  const figures = (section: Chart["section"]) =>
    r.charts
      .map((c, i) => (c.section === section ? figure(c, i) : ""))
      .filter(Boolean)
      .join("\n");

  sections.push(`<section id="overview"><h2>Overview</h2>
${m.verdict?.message ? `<p class="warn" id="verdict"><strong>Verdict:</strong> ${esc(m.verdict.message)}</p>` : ""}
${m.test_caution ? `<p class="warn" id="caution"><strong>Caution:</strong> ${esc(m.test_caution)}</p>` : ""}
<div class="cards">${cards.map(([k, v]) => `<div class="card"><div class="v">${esc(v as string)}</div><div class="k">${esc(k as string)}</div></div>`).join("")}</div>
<p>Input <code>${esc(r.etl.input)}</code>: ${r.etl.rows_in} rows × ${r.etl.columns_in} columns read; ${r.etl.rows_out} rows and ${r.etl.columns_out} columns kept, ${r.etl.rows_rejected} rows rejected. Target <strong>${esc(a.overview.target)}</strong>, positive class <strong>${esc(pos)}</strong>. Generated ${esc(r.generatedAt)} with ${Object.entries(
    r.versions,
  )
    .map(([k, v]) => `${esc(k)} ${esc(v)}`)
    .join(", ")}.</p></section>`);

  const rules = Object.entries(r.etl.rejected_by_rule);
  const cells = Object.entries(r.etl.cells).filter(([, n]) => n > 0);
  sections.push(`<section id="data-quality"><h2>Data quality</h2>
${table(["rule", "rows rejected"], rules.length ? rules.map(([k, n]) => [k, String(n)]) : [["(none)", "0"]])}
${
  cells.length
    ? table(
        ["cell clean-up", "cells"],
        cells.map(([k, n]) => [k.replaceAll("_", " "), String(n)]),
      )
    : ""
}
${
  r.etl.dropped_columns.length
    ? table(
        ["dropped column", "reason"],
        r.etl.dropped_columns.map((d) => [d.name, d.reason]),
        9,
      )
    : "<p>No column was dropped.</p>"
}
${
  r.etl.duplicates?.repeated_rows
    ? `<p class="warn"><strong>${r.etl.duplicates.repeated_rows} rows repeat an earlier row exactly</strong>: ${r.etl.duplicates.drop ? "dropped" : "kept"} — ${esc(r.etl.duplicates.reason)}.</p>`
    : ""
}
${r.etl.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join("")}
${r.rejectedSample && r.rejectedSample.length > 1 ? `<h3>Sample of rejected rows</h3>${table(r.rejectedSample[0] as string[], r.rejectedSample.slice(1), 99)}` : ""}</section>`);

  sections.push(`<section id="analysis"><h2>Analysis</h2>
<h3>Numeric columns</h3>${tables.numeric.rows.length ? table(tables.numeric.header, tables.numeric.rows) : "<p>None.</p>"}
<h3>Categorical columns</h3>${tables.categorical.rows.length ? table(tables.categorical.header, tables.categorical.rows, 1) : "<p>None.</p>"}
<h3>Which features go with ${esc(a.overview.target)}</h3>
${table(
  ["feature", "test", "statistic", "p (BH)", "effect"],
  a.tests.map((t) => [
    t.feature,
    t.test === "welch_t" ? "Welch t" : "χ²",
    num(t.statistic),
    formatPValue(t.p_bh),
    `${t.effect.name === "cohens_d" ? "d" : "V"} = ${num(t.effect.value, 3)}`,
  ]),
)}
<ul class="readings">${a.tests
    .slice(0, 10)
    .map((t) => `<li>${esc(t.reading)}</li>`)
    .join("")}</ul>
${
  a.alerts
    ? `<h3>Alerts</h3>${
        a.alerts.length
          ? table(
              ["alert", "column", "value", "threshold", "what it means"],
              a.alerts.map((x) => [
                x.type.replaceAll("_", " "),
                x.column ?? "(table)",
                x.value === null || Number.isNaN(x.value) ? "—" : num(x.value, 4),
                x.threshold === null || Number.isNaN(x.threshold) ? "—" : String(x.threshold),
                x.message,
              ]),
              2,
              true,
            )
          : "<p>None (ydata-profiling's default thresholds).</p>"
      }`
    : ""
}
${chartNote(a)}<div class="grid">${figures("analysis")}</div></section>`);

  sections.push(`<section id="model"><h2>Model</h2>
<p>${esc(modelDescription(m))}${m.model.calibration ? ", its probabilities calibrated (Platt scaling) on its out-of-bag scores" : ""}, trained on ${m.n_train} rows and evaluated on ${m.n_test} held-out rows (${esc(m.split ?? "stratified split")}). Decision threshold <strong>${num(m.threshold)}</strong>. Model version <code>${esc(m.model.version)}</code>.</p>
${m.verdict?.message ? `<p class="warn"><strong>Verdict:</strong> ${esc(m.verdict.message)}</p>` : ""}
${table(
  ["metric", "test", ...(m.cv ? [`cv mean (${m.cv.folds} folds)`, "cv std"] : [])],
  METRICS.filter((d) => typeof m[d.name] === "number").map((d) => [
    `${d.label} (${d.direction} is better)`,
    m[d.name].toFixed(4),
    ...(m.cv ? [(m.cv.mean[d.name] ?? Number.NaN).toFixed(4), (m.cv.std[d.name] ?? Number.NaN).toFixed(4)] : []),
  ]),
)}
${m.roc_auc_ci && m.roc_auc_ci.se > 0 ? `<p>Test ROC AUC 95% confidence interval (${esc(m.roc_auc_ci.method)}): ${m.roc_auc_ci.low.toFixed(4)} to ${m.roc_auc_ci.high.toFixed(4)}.</p>` : ""}
${m.oob ? `<p>Out-of-bag estimate on the training rows: ROC AUC ${m.oob.roc_auc.toFixed(4)}, accuracy ${m.oob.accuracy.toFixed(4)}.</p>` : ""}
<h3>Confusion matrix</h3>
${table(
  ["", `predicted ${neg}`, `predicted ${pos}`],
  [
    [`actual ${neg}`, String(tn), String(fp)],
    [`actual ${pos}`, String(fn), String(tp)],
  ],
)}
<h3>Classification report</h3><pre>${esc(m.classification_report)}</pre>
<h3>Baselines on the same test rows</h3>
${table(["model", "ROC AUC", "accuracy", "F1", "log loss"], [[modelName(m), m.roc_auc.toFixed(4), m.accuracy.toFixed(4), m.f1.toFixed(4), m.log_loss.toFixed(4)], ...m.baselines.map((b) => [b.name, b.roc_auc.toFixed(4), b.accuracy.toFixed(4), b.f1.toFixed(4), b.log_loss.toFixed(4)])])}
${
  m.model_selection
    ? `<h3>Model choice</h3><p>${esc(m.model_selection.note)} Cross-validation: ${m.model_selection.folds} stratified folds of the training rows only; the test rows chose nothing.</p>${table(
        ["model", "CV ROC AUC", "± sd", "test ROC AUC", "test log loss", "fit s", "saved"],
        m.model_selection.candidates.map((c) => [
          c.name,
          num(c.cv_roc_auc_mean),
          num(c.cv_roc_auc_std),
          num(c.test_roc_auc),
          num(c.test_log_loss),
          c.fit_seconds.toFixed(2),
          c.saved ? "yes" : "",
        ]),
      )}`
    : ""
}
${
  m.imbalance_advice
    ? `<h3>Class imbalance</h3><p class="warn">${esc(m.imbalance_advice.advice)}</p>${table(
        ["model", "threshold", "F1", "recall", "precision", "balanced accuracy", "ROC AUC"],
        m.imbalance_advice.options.map((o) => [
          o.flag ? `${o.name} (${o.flag})` : o.name,
          num(o.threshold),
          num(o.f1),
          num(o.recall),
          num(o.precision),
          num(o.balanced_accuracy),
          num(o.roc_auc),
        ]),
      )}`
    : ""
}
<div class="grid">${figures("model")}</div></section>`);

  const ex = m.explanations;
  if (ex && ex.rows > 0) {
    const permutation = permutationByColumn(m.importance);
    sections.push(`<section id="explanations"><h2>Why the model predicts what it does</h2>
<p>Each prediction's score (${esc(scoreDescription(m, pos))}) is split exactly among the input columns ${
      m.model.kind === "logistic" ? "(each column's term of the log-odds, less its mean over the training rows)" : "by TreeSHAP"
    }: starting from <strong>${num(ex.base_value, 4)}</strong>, the expected score of the training rows, each column's contribution says how far knowing its value moved the score; they add up to the score. Computed on ${ex.rows === ex.of ? `all ${ex.of}` : `a seeded sample of ${ex.rows} of the ${ex.of}`} test rows. Any row can be explained the same way with <code>pipe explain</code>, <code>pipe predict --explain</code> or <code>POST /predict?explain=true</code>.</p>
${table(
  ["column", "mean |contribution|", "permutation importance (drop in ROC AUC)"],
  ex.importance.slice(0, 20).map((i) => [i.column, num(i.mean_abs, 4), permutation.get(i.column) ?? "—"]),
)}
<p>The two measures answer different questions: mean |contribution| is how much a column moves individual scores; permutation importance is how much the ranking of the test rows suffers without it. A column can move scores a lot and still be replaceable by a correlated one.</p>
<div class="grid">${figures("explanations")}</div></section>`);
  }

  const d = r.drift;
  if (d) {
    sections.push(`<section id="drift"><h2>Drift of new data</h2>
<p${d.dataset_drift ? ' class="warn"' : ""}><strong>${esc(driftVerdict(d))}</strong></p>
<p><code>${esc(d.input)}</code>: ${d.rows} rows compared with the ${d.reference_rows} training rows on ${esc(d.created_at)}, column by column and on the model's probabilities, by Evidently's default choice: tests on references of up to 1,000 rows (drift when p &lt; 0.05), distances above (drift when ≥ 0.1); the dataset drifts when at least ${pct(d.drift_share)} of the columns do.</p>
${table(DRIFT_HEADER, driftRows(d), 2)}</section>`);
  }

  sections.push(`<section id="model-card"><h2>Model card</h2>
<dl>
${modelCardEntries(a, m, r.etl)
  .map((e) => `<dt>${esc(e.term)}</dt><dd>${esc(e.text)}</dd>`)
  .join("\n")}
</dl></section>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(title)}</h1><nav><a href="#overview">Overview</a><a href="#data-quality">Data quality</a><a href="#analysis">Analysis</a><a href="#model">Model</a>${m.explanations && m.explanations.rows > 0 ? '<a href="#explanations">Explanations</a>' : ""}${r.drift ? '<a href="#drift">Drift</a>' : ""}<a href="#model-card">Model card</a></nav></header>
<main>${sections.join("\n")}</main>
<script type="application/json" id="figures">${scriptJson(r.charts.map((c) => c.figure))}</script>
${r.plotly ? `<script>${r.plotly}</script>\n<script>${INIT}</script>` : ""}
</body></html>
`;
}
