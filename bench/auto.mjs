// `pnpm bench:auto`: `pipe run --model auto` on each shared dataset — does the model it saves (chosen by
// cross-validation on the training rows only) come within 0.01 test ROC AUC of the best of the four
// candidates (#20)? Each candidate's CV and test figures are the run's own, so the comparison is within one
// run; the test rows are never used to choose. Results in bench/results/auto.{json,md}.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ADULT_COLUMNS, DATA, DATASETS, machine, PIMA_COLUMNS, ROOT, runJson, table, withHeader, writeResults } from "./lib.mjs";

const datasets = {
  titanic: { input: join(DATASETS, "titanic/titanic.csv"), target: "Survived" },
  "telco-churn": { input: join(DATASETS, "telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"), target: "Churn" },
  adult: { input: withHeader(join(DATASETS, "adult/adult-train.csv"), "adult-headed.csv", ADULT_COLUMNS), target: "income" },
  pima: { input: withHeader(join(DATASETS, "pima/pima-indians-diabetes.csv"), "pima-headed.csv", PIMA_COLUMNS), target: PIMA_COLUMNS.at(-1) },
  heart: { input: join(DATASETS, "heart/Training_set_heart.csv"), target: "target" },
};

const results = {};
for (const [name, d] of Object.entries(datasets)) {
  const out = join(DATA, `auto-${name}`);
  const t0 = performance.now();
  runJson(process.execPath, [
    join(ROOT, "apps/cli/dist/pipe.js"),
    "run",
    "--input",
    d.input,
    "--target",
    d.target,
    "--model",
    "auto",
    "--out",
    out,
    "--no-png",
    "--quiet",
    "--json",
  ]);
  const seconds = (performance.now() - t0) / 1000;
  const selection = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")).model_selection;
  const best = selection.candidates.reduce((a, c) => (c.test_roc_auc > a.test_roc_auc ? c : a));
  const saved = selection.candidates.find((c) => c.saved);
  results[name] = { seconds, candidates: selection.candidates, saved: saved.kind, best_on_test: best.kind, gap: best.test_roc_auc - saved.test_roc_auc };
  console.log(
    `${name}: saved ${saved.kind} (test ${saved.test_roc_auc.toFixed(4)}), best on test ${best.kind} (${best.test_roc_auc.toFixed(4)}), ${seconds.toFixed(1)} s`,
  );
}

const m = machine();
const kinds = ["majority", "logistic", "forest", "gbt"];
const md = `# bench:auto — ${m.date}

Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, Node ${m.node}. One \`pipe run --model auto\` per dataset (5-fold
cross-validation on the training rows, 70/30 stratified split, seed 42): CV mean ROC AUC / test ROC AUC of each candidate,
the one saved (best CV, the simplest within 0.001), and how far its test ROC AUC is from the best candidate's on the test rows.

${table(
  ["dataset", ...kinds, "saved", "best on test", "gap", "within 0.01", "run s"],
  Object.entries(results).map(([name, r]) => [
    name,
    ...kinds.map((k) => {
      const c = r.candidates.find((x) => x.kind === k);
      return `${c.cv_roc_auc_mean.toFixed(4)} / ${c.test_roc_auc.toFixed(4)}`;
    }),
    r.saved,
    r.best_on_test,
    r.gap.toFixed(4),
    r.gap <= 0.01 ? "yes" : "**no**",
    r.seconds.toFixed(1),
  ]),
)}

Goal (#20): on each shared dataset \`--model auto\` saves a model within 0.01 test ROC AUC of the best of the four — ${
  Object.values(results).every((r) => r.gap <= 0.01) ? "met" : "**not met**"
}.
`;
writeResults("auto", { machine: m, results }, md);
