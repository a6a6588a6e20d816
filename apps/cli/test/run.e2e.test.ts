import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "@pipe/etl";
import { PipeModel } from "@pipe/model";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-e2e-");
afterAll(tmp.cleanup);

const readJson = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, name), "utf8"));
const readRows = (dir: string, name: string) => parseCsv(readFileSync(join(dir, name), "utf8"), { delimiter: "," }).map((r) => r.fields);

const cases = [
  {
    name: "titanic",
    input: DATASETS.titanic,
    target: "Survived",
    positive: "1",
    minAuc: 0.78,
    features: ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"],
  },
  {
    name: "heart",
    input: DATASETS.heart,
    target: "target",
    positive: "1",
    minAuc: 0.8,
    features: ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak", "slope", "ca", "thal"],
  },
  { name: "telco", input: DATASETS.telco, target: "Churn", positive: "Yes", minAuc: 0.78, features: null },
];

describe.each(cases)("pipe run on $name", (c) => {
  const out = join(tmp.dir, c.name);
  const args = ["run", "--input", c.input, "--target", c.target, "--out", out, "--json"];
  if (c.name === "telco") args.push("--positive", "Yes");
  const result = pipe(args, tmp.dir);

  it("exits 0 and prints one JSON summary on stdout", () => {
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ ok: true, stage: "run" });
    expect(summary.stages.map((s: { stage: string }) => s.stage)).toEqual(["etl", "analyze", "train", "evaluate", "report"]);
  });

  it("writes the processed data, its schema, the rejects and the ETL counts, all consistent", () => {
    const etl = readJson(out, "etl_report.json");
    expect(etl.rows_in).toBe(etl.rows_out + etl.rows_rejected);
    const processed = readRows(out, "dataset_processed.csv");
    expect(processed.length - 1).toBe(etl.rows_out);
    const schema = readJson(out, "dataset_processed.schema.json");
    expect(schema).toMatchObject({ version: 1, target: c.target, positiveClass: c.positive, rows: etl.rows_out });
    expect(processed[0]).toEqual(schema.columns.map((col: { name: string }) => col.name));
    if (c.features)
      expect(schema.columns.filter((col: { role: string }) => col.role === "feature").map((col: { name: string }) => col.name)).toEqual(c.features);
    const rejected = readRows(out, "rejected.csv");
    expect(rejected[0]?.slice(0, 4)).toEqual(["source_line", "rule", "column", "detail"]);
    expect(rejected.length - 1).toBe(etl.rows_rejected);
  });

  it("writes analysis.json, a readable analysis.txt and a plot per chart", () => {
    const analysis = readJson(out, "analysis.json");
    const etl = readJson(out, "etl_report.json");
    expect(analysis.schema_version).toBe(2);
    expect(analysis.overview.rows).toBe(etl.rows_out);
    expect(analysis.tests.length).toBeGreaterThan(3);
    for (const t of analysis.tests) {
      expect(t.pvalue).toBeGreaterThanOrEqual(0);
      expect(t.pvalue).toBeLessThanOrEqual(1);
      expect(t.p_bh).toBeGreaterThanOrEqual(t.pvalue);
    }
    const text = readFileSync(join(out, "analysis.txt"), "utf8");
    expect(text).toContain(`Tests against ${c.target}, ranked by Benjamini-Hochberg adjusted p-value`);
    expect(text).toContain(analysis.tests[0].reading);
    expect(text).toContain(`rows: ${etl.rows_in} read, ${etl.rows_out} kept`);
    const plots = readdirSync(join(out, "plots"));
    expect(plots).toContain("class_balance.svg");
    expect(plots).toContain("correlation_heatmap.svg");
    expect(plots).toContain("roc_curve.svg");
    for (const h of analysis.plots.histograms) expect(plots).toContain(`hist_${h.feature.replace(/[^A-Za-z0-9_-]+/g, "_")}.svg`);
    for (const p of plots.filter((f) => f.endsWith(".svg"))) expect(readFileSync(join(out, "plots", p), "utf8")).toMatch(/^<svg [^>]*>.*<\/svg>$/s);
    const pngs = plots.filter((f) => f.endsWith(".png"));
    // PNGs come with a Chromium (the browser test checks them); never a PNG without its SVG.
    for (const p of pngs) expect(plots).toContain(p.replace(/\.png$/, ".svg"));
  });

  it("writes a model file that loads and checks out", () => {
    const model = PipeModel.parse(readFileSync(join(out, "model.json"), "utf8"));
    expect(model.state.forest.trees.length).toBe(100);
    expect(model.state.positiveClass).toBe(c.positive);
    expect(model.state.training.seed).toBe(42);
  });

  it(`writes metrics.json from held-out probabilities (ROC AUC ≥ ${c.minAuc}) and metrics.txt with the same figures`, () => {
    const m = readJson(out, "metrics.json");
    const etl = readJson(out, "etl_report.json");
    for (const key of ["accuracy", "precision", "recall", "f1", "roc_auc"]) {
      expect(m[key]).toBeGreaterThan(0);
      expect(m[key]).toBeLessThanOrEqual(1);
    }
    expect(m.roc_auc).toBeGreaterThanOrEqual(c.minAuc);
    expect(m.positive_class).toBe(c.positive);
    expect(m.n_train + m.n_test).toBe(etl.rows_out);
    expect(m.n_test).toBe(Math.ceil(0.3 * etl.rows_out));
    const [[tn, fp], [fn, tp]] = m.confusion_matrix;
    expect(tn + fp + fn + tp).toBe(m.n_test);
    expect(m.accuracy).toBeCloseTo((tn + tp) / m.n_test, 12);
    expect(m.precision).toBeCloseTo(tp / (tp + fp), 12);
    expect(m.curves.roc.fpr[0]).toBe(0);
    const txt = readFileSync(join(out, "metrics.txt"), "utf8");
    expect(txt).toContain(m.classification_report.trimEnd());
    expect(txt).toMatch(new RegExp(`roc_auc\\s+${m.roc_auc.toFixed(4)}`));
    expect(txt).toContain("majority class");
    // The logistic-regression baseline on the same rows: a real model, clearly better than chance.
    const logistic = m.baselines.find((b: { name: string }) => b.name.startsWith("logistic regression"));
    expect(logistic.roc_auc).toBeGreaterThan(0.7);
    expect(txt).toContain(logistic.name);
  });

  it("writes a self-contained report.html", () => {
    const html = readFileSync(join(out, "report.html"), "utf8");
    for (const id of ["overview", "data-quality", "analysis", "model", "explanations", "model-card"]) expect(html).toContain(`<section id="${id}">`);
    // Outside the inlined scripts, nothing points at the network.
    const page = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
    expect(page).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    // plotly.js inlined once, plus the figures' data and the code that draws them.
    expect(html.match(/<script>/g)?.length).toBe(2);
    expect(html).toContain('<script type="application/json" id="figures">');
    expect(html.match(/<figure id="chart-/g)?.length).toBeGreaterThan(8);
    const m = readJson(out, "metrics.json");
    expect(html).toContain(m.roc_auc.toFixed(3));
    for (const plot of ["shap_importance", "shap_summary", "waterfall_1", "waterfall_2", "waterfall_3"])
      expect(existsSync(join(out, "plots", `${plot}.svg`))).toBe(true);
  });

  it("records the model's lineage and writes the model card on its own", () => {
    const model = readJson(out, "model.json").content;
    const l = model.training.lineage;
    // Taken while the ETL read the input: the file's own SHA-256.
    expect(l.input_sha256).toBe(createHash("sha256").update(readFileSync(c.input)).digest("hex"));
    expect(l.input_sha256).toBe(readJson(out, "etl_report.json").input_sha256);
    expect(l.processed_sha256).toBe(model.training.data_sha256);
    expect(l.config_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(l.config.target).toBe(c.target);
    expect(l.git_commit === null || /^[0-9a-f]{40}(\+dirty)?$/.test(l.git_commit)).toBe(true);
    const card = readFileSync(join(out, "model_card.md"), "utf8");
    expect(card).toMatch(new RegExp(`^# Model card: ${c.target} = `));
    for (const h of ["Model", "Data", "Intended use", "Evaluation", "Limits", "Lineage"]) expect(card).toContain(`\n## ${h}\n`);
    expect(card).toContain(l.input_sha256);
    expect(card).toContain(`\n## Software\n\nTrained with node ${process.versions.node}`);
    expect(readJson(out, "metrics.json").model.version).toBe(model.model_id.slice(0, 12));
    // The card for machines: the same model, data, settings, code and figures.
    const etl = readJson(out, "etl_report.json");
    const m = readJson(out, "metrics.json");
    const doc = readJson(out, "model_card.json");
    expect(doc.format).toBe("pipe-model-card");
    expect(doc.model).toMatchObject({ kind: m.model.kind ?? "forest", version: m.model.version, target: c.target, threshold: m.threshold });
    expect(doc.data).toMatchObject({
      input: etl.input,
      bytes: statSync(c.input).size,
      sha256: l.input_sha256,
      rows_in: etl.rows_in,
      rows_out: etl.rows_out,
      processed_sha256: l.processed_sha256,
    });
    expect(doc.settings).toEqual({ sha256: l.config_sha256, resolved: l.config });
    expect(doc.settings.resolved.etl).toBeDefined();
    expect(doc.code).toEqual({ git_commit: l.git_commit, versions: model.training.versions });
    expect(doc.code.versions.node).toBe(process.versions.node);
    expect(doc.metrics.test.roc_auc).toBe(m.roc_auc);
    expect(doc.metrics.test.brier).toBe(m.brier);
    expect(doc.intended_use).toMatch(/^Scoring new records/);
    expect(doc.limits).toMatch(/associations, not causes/);
    expect(doc.entries.map((e: { term: string }) => e.term)).toEqual(["Model", "Data", "Intended use", "Evaluation", "Limits", "Lineage", "Software"]);
  });

  it("explains a sample of the test rows in metrics.json and metrics.txt", () => {
    const m = readJson(out, "metrics.json");
    const e = m.explanations;
    expect(e.rows).toBeGreaterThanOrEqual(Math.min(50, m.n_test));
    if (c.features) expect(e.importance.map((i: { column: string }) => i.column).sort()).toEqual([...c.features].sort());
    for (const x of e.examples) {
      const sum = x.contributions.reduce((s: number, k: { contribution: number }) => s + k.contribution, e.base_value + x.rest);
      expect(Math.abs(sum - x.score)).toBeLessThan(1e-12);
    }
    expect(readFileSync(join(out, "metrics.txt"), "utf8")).toMatch(/^Explanations \(TreeSHAP/m);
  });
});

describe("pipe predict", () => {
  it("scores a CSV with a trained model, row by row", () => {
    const out = join(tmp.dir, "titanic");
    const scored = join(tmp.dir, "scored.csv");
    const r = pipe(["predict", "--model", join(out, "model.json"), "--input", DATASETS.titanic, "--output", scored, "--quiet"], tmp.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = readRows(tmp.dir, "scored.csv");
    expect(rows.length).toBe(892);
    const header = rows[0] as string[];
    expect(header.slice(-5)).toEqual(["probability", "prediction", "label", "warnings", "error"]);
    const p = header.indexOf("probability");
    for (const row of rows.slice(1)) {
      const v = Number(row[p]);
      expect(v >= 0 && v <= 1).toBe(true);
    }
  });

  it("scores a file of many batches in order, each row as the model scores it alone, bad rows with their line", () => {
    const out = join(tmp.dir, "titanic");
    const [head, ...lines] = readFileSync(DATASETS.titanic, "utf8").trimEnd().split("\n");
    // 40,000 rows: five batches of 8,192 (the last one short); every 997th row has an age that is no number.
    const many = Array.from({ length: 40_000 }, (_, i) => {
      const line = lines[i % lines.length] as string;
      return i % 997 === 5 ? line.replace(/,(male|female),[^,]*,/, ",$1,not-a-number,") : line;
    });
    const input = join(tmp.dir, "many.csv");
    writeFileSync(input, `${head}\n${many.join("\n")}\n`);
    const r = pipe(["predict", "--model", join(out, "model.json"), "--input", input, "--output", join(tmp.dir, "many-scored.csv"), "--quiet"], tmp.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = readRows(tmp.dir, "many-scored.csv");
    const header = rows[0] as string[];
    expect(rows.length).toBe(40_001);
    const model = PipeModel.parse(readFileSync(join(out, "model.json")));
    const features = model.featureSchema.map((f) => f.name);
    const at = (name: string) => header.indexOf(name);
    for (let i = 0; i < 40_000; i += 37) {
      const row = rows[i + 1] as string[];
      expect(row[at("PassengerId")]).toBe(String((i % lines.length) + 1));
      if (i % 997 === 5) {
        expect(row[at("error")]).toMatch(new RegExp(`^line ${i + 2}: `));
        continue;
      }
      const record = Object.fromEntries(features.map((f) => [f, row[at(f)] === "" ? undefined : row[at(f)]]));
      expect(Number(row[at("probability")])).toBe(model.predict(record).probability);
    }
    const bad = rows.slice(1).filter((row) => row[at("error")] !== "");
    expect(bad.length).toBe(Math.ceil((40_000 - 5) / 997));
  }, 60_000);

  it("measures the scores against the labels of an input that has the target column, read with the config's rules", () => {
    const out = join(tmp.dir, "titanic");
    const [head, ...lines] = readFileSync(DATASETS.titanic, "utf8").trimEnd().split("\n");
    // A held-out file spelled otherwise (yes/no, mapped back by the config's recode), with blank and
    // unknown labels and rows that cannot be scored: each kind counted apart, none in the metrics.
    const survived = (head as string).split(",").indexOf("Survived");
    const edited = lines.map((line, i) => {
      const cells = line.split(",");
      cells[survived] = i % 50 === 7 ? "" : i % 50 === 9 ? "maybe" : cells[survived] === "1" ? " yes" : "no";
      const row = cells.join(",");
      return i % 97 === 3 ? row.replace(/,(male|female),[^,]*,/, ",$1,not-a-number,") : row;
    });
    const input = join(tmp.dir, "labelled.csv");
    writeFileSync(input, `${head}\n${edited.join("\n")}\n`);
    const config = join(tmp.dir, "labelled.config.json");
    writeFileSync(config, JSON.stringify({ etl: { rules: { Survived: { recode: { yes: "1", no: "0" } } } } }));
    const scored = join(tmp.dir, "labelled-scored.csv");
    const r = pipe(["predict", "--config", config, "--model", join(out, "model.json"), "--input", input, "--output", scored, "--json"], tmp.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/row\(s\) have a label in Survived that is not one of the model's classes \(0, 1\): "maybe" \(\d+\)/);
    const doc = readJson(tmp.dir, "labelled-scored.metrics.json");
    expect(JSON.parse(r.stdout).outputs).toEqual([scored, join(tmp.dir, "labelled-scored.metrics.json")]);

    // The same figures from the scored file, computed here the long way.
    const rows = readRows(tmp.dir, "labelled-scored.csv");
    const header = rows[0] as string[];
    const at = (name: string) => header.indexOf(name);
    const body = rows.slice(1);
    const scoredRows = body.filter((row) => row[at("error")] === "");
    const labelled = scoredRows.filter((row) => ["yes", "no"].includes((row[at("Survived")] as string).trim()));
    const y = labelled.map((row) => ((row[at("Survived")] as string).trim() === "yes" ? 1 : 0));
    const p = labelled.map((row) => Number(row[at("probability")]));
    let pairs = 0;
    let wins = 0;
    y.forEach((yi, i) => {
      if (yi !== 1) return;
      y.forEach((yj, j) => {
        if (yj !== 0) return;
        pairs++;
        wins += (p[i] as number) > (p[j] as number) ? 1 : p[i] === p[j] ? 0.5 : 0;
      });
    });
    const correct = labelled.filter((row, i) => Number(row[at("prediction")]) === y[i]).length;
    expect(doc).toMatchObject({
      target: "Survived",
      positive_class: "1",
      rows_scored: scoredRows.length,
      rows_labelled: labelled.length,
      rows_missing_label: scoredRows.filter((row) => row[at("Survived")] === "").length,
      unknown_labels: { maybe: scoredRows.filter((row) => row[at("Survived")] === "maybe").length },
    });
    expect(body.length - scoredRows.length).toBe(Math.ceil((lines.length - 3) / 97));
    expect(doc.metrics.roc_auc).toBeCloseTo(wins / pairs, 12);
    expect(doc.metrics.accuracy).toBeCloseTo(correct / labelled.length, 12);
    expect(doc.metrics.n).toBe(labelled.length);
    expect(doc.metrics.roc_auc).toBeGreaterThan(0.8);

    // Without the rule no label is one of the classes: no metrics, and the fix is named.
    const bare = pipe(["predict", "--model", join(out, "model.json"), "--input", input, "--output", join(tmp.dir, "bare.csv")], tmp.dir);
    expect(bare.code).toBe(0);
    expect(bare.stdout + bare.stderr).toMatch(/no row has a label that is one of the model's classes/);
    expect(bare.stderr).toMatch(/etl\.rules\.Survived: \{"recode":\{"no":"<0 or 1>","yes":"<0 or 1>"\}\}/);
    expect(readJson(tmp.dir, "bare.metrics.json").metrics).toBeNull();
  }, 60_000);
});

describe("bad usage: one line, exit code 2, no stack trace", () => {
  const cases = [
    {
      why: "a wrong --target",
      args: ["run", "--input", DATASETS.heart, "--target", "Target"],
      message: /^pipe: target column "Target" is not in .*; its columns are: age, .* Pass --target with one of them\n$/,
    },
    {
      why: "a missing input file",
      args: ["run", "--input", "no/such.csv", "--target", "y"],
      message: /^pipe: .*no\/such\.csv: input file not found; check the path given to --input\n$/,
    },
    { why: "an unknown flag", args: ["run", "--trees-count", "5"], message: /^pipe: unknown flag --trees-count; see `pipe run --help`\n$/ },
    { why: "a bad number", args: ["train", "--trees", "many"], message: /^pipe: --trees expects a whole number \(got "many"\)\n$/ },
    { why: "an unknown command", args: ["fly"], message: /^pipe: unknown command "fly"; commands: run, etl/ },
  ];
  it.each(cases)("$why", ({ args, message }) => {
    const r = pipe([...args, "--quiet"], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });
  it("--help on every command", () => {
    for (const command of ["run", "etl", "analyze", "train", "evaluate", "report", "serve", "predict"]) {
      const r = pipe([command, "--help"], tmp.dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: pipe ${command}`));
      expect(r.stdout).toContain("--json");
    }
  });
  it("a stage whose inputs are missing says which stage to run (exit 3)", () => {
    const empty = join(tmp.dir, "empty");
    const r = pipe(["evaluate", "--out", empty, "--quiet"], tmp.dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^pipe: .*model\.json not found; run `pipe train` first \(or `pipe run`\), or pass --model PATH\n$/);
    expect(existsSync(join(empty, "metrics.json"))).toBe(false);
  });
});
