import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "@pipe/etl";
import { evaluateModel, METRICS, type MetricsDoc, sha256, startScoreWorkers, stratifiedSplit, verdictAgainst } from "@pipe/model";
import { formatMetricsText } from "@pipe/report";
import { json, type StageContext, StageError } from "../stage.js";
import { imbalanceAdvice } from "./imbalance-advice.js";
import { loadProcessed } from "./load-data.js";
import { loadModel } from "./model-file.js";

export async function evaluateStage(ctx: StageContext) {
  const { config, paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  // The scoring workers start while the model and the data are read.
  startScoreWorkers();
  const model = await loadModel(modelPath);
  const training = model.state.training;
  const inEngine = (training.metrics as { in_engine?: { roc_auc: number | null; test_rows: number; engine: string } } | undefined)?.in_engine;
  if (inEngine) {
    throw new StageError(
      `${modelPath} was grown in ${inEngine.engine} on its own held-out rows (a hash of each row's values): pipe evaluate's split would score rows it trained on. Its held-out ROC AUC (${inEngine.roc_auc?.toFixed(4) ?? "n/a"} on ${inEngine.test_rows} rows) is in model.json, training.metrics.in_engine`,
    );
  }
  const { table, features } = await loadProcessed(ctx);
  if (sha256(await readFile(paths.processed)) !== training.data_sha256) {
    throw new StageError(`${modelPath} was trained on other data than ${paths.processed}; run \`pipe train\` again so the held-out rows are the right ones`);
  }
  // The same seeded split as training: the test rows were never seen by the model.
  const split = stratifiedSplit(table.y, training.test_size, training.seed);
  let trainPos = 0;
  for (const i of split.train) trainPos += table.y[i] as number;
  const t0 = performance.now();
  const ev = await evaluateModel(model, table, table.y, split.test, trainPos / split.train.length, {
    permutationRepeats: config.model.permutationRepeats,
    seed: training.seed,
    // A linear model on the same rows and preprocessing shows what the forest's non-linearity buys.
    // A logistic regression is its own logistic baseline.
    ...(config.model.logisticBaseline && !model.linear ? { logisticTrain: split.train } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  const advice = await imbalanceAdvice(model, table, features, split, ev.scores);
  const negative = model.state.classes.find((c) => c !== model.state.positiveClass) as string;
  const cv = (training.metrics as { cv?: MetricsDoc["cv"] } | undefined)?.cv ?? null;
  const selection = (training.metrics as { model_selection?: MetricsDoc["model_selection"] } | undefined)?.model_selection;
  const doc: MetricsDoc = {
    ...ev.metrics,
    n_train: split.train.length,
    n_test: split.test.length,
    positive_class: model.state.positiveClass,
    negative_class: negative,
    target: model.state.target,
    classification_report: ev.report,
    curves: ev.curves,
    importance: ev.importance,
    baselines: ev.baselines,
    oob: training.oob ?? null,
    cv,
    metric_definitions: METRICS.map(({ compute: _, ...d }) => d),
    ...(ev.explanations ? { explanations: ev.explanations } : {}),
    ...(advice ? { imbalance_advice: advice } : {}),
    ...(selection ? { model_selection: selection } : {}),
    verdict: verdictAgainst({ name: model.kindName, roc_auc: ev.metrics.roc_auc, log_loss: ev.metrics.log_loss }, ev.baselines),
    model: {
      version: model.version,
      trees: model.state.forest.treeCount,
      kind: model.kind,
      hyperparameters: model.linear
        ? { C: model.linear.state.C, class_weight: model.linear.state.class_weight, penalty: "l2", weights: model.linear.state.coef.length }
        : model.state.boosting
          ? { ...model.state.boosting.params, iterations: model.state.forest.treeCount }
          : { ...model.state.forest.params },
      calibration: model.state.calibration,
      created_at: training.created_at,
      ...(training.lineage ? { lineage: training.lineage } : {}),
      versions: training.versions,
    },
  };
  await writeFileAtomic(paths.metricsJson, json(doc));
  await writeFileAtomic(paths.metricsTxt, formatMetricsText(doc));
  log.info(
    `evaluate: test ROC AUC ${doc.roc_auc.toFixed(4)}, accuracy ${doc.accuracy.toFixed(4)}, F1 ${doc.f1.toFixed(4)} on ${doc.n_test} held-out rows (${seconds.toFixed(2)} s) → ${paths.metricsTxt}`,
  );
  if (doc.verdict?.message) log.info(`evaluate: ${doc.verdict.message}`);
  if (advice) log.info(`evaluate: ${advice.advice}`);
  return {
    stage: "evaluate",
    roc_auc: doc.roc_auc,
    accuracy: doc.accuracy,
    precision: doc.precision,
    recall: doc.recall,
    f1: doc.f1,
    n_test: doc.n_test,
    verdict: doc.verdict?.message ?? null,
    outputs: [paths.metricsJson, paths.metricsTxt],
  };
}
