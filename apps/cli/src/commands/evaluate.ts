import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type ProcessedTable, readProcessed, readSchema, writeFileAtomic } from "@pipe/etl";
import {
  evaluateModel,
  METRICS,
  type MetricsDoc,
  type PipeModel,
  sha256,
  smallTestSplit,
  startScoreWorkers,
  stratifiedSplit,
  type TrainTestSplit,
  verdictAgainst,
} from "@pipe/model";
import { formatMetricsText } from "@pipe/report";
import { json, requireOutput, type StageContext, StageError } from "../stage.js";
import { imbalanceAdvice } from "./imbalance-advice.js";
import { loadProcessed } from "./load-data.js";
import { loadModel } from "./model-file.js";
import type { InEngineTraining } from "./train-in-engine.js";

export async function evaluateStage(ctx: StageContext) {
  const { config, paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  // The scoring workers start while the model and the data are read.
  startScoreWorkers();
  const model = await loadModel(modelPath);
  const training = model.state.training;
  const inEngine = (training.metrics as { in_engine?: InEngineTraining } | undefined)?.in_engine;
  const { table, test, nTrain, trainRate, logisticTrain, adviceSplit } = inEngine
    ? await engineHeldOut(ctx, model, modelPath, inEngine)
    : await stratifiedHeldOut(ctx, modelPath, training);
  const t0 = performance.now();
  const ev = await evaluateModel(model, table, table.y, test, trainRate, {
    permutationRepeats: config.model.permutationRepeats,
    seed: training.seed,
    // A linear model on the same rows and preprocessing shows what the forest's non-linearity buys.
    // A logistic regression is its own logistic baseline.
    ...(config.model.logisticBaseline && !model.linear && logisticTrain ? { logisticTrain } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  const advice = adviceSplit ? await imbalanceAdvice(model, table, table.featureKinds, adviceSplit, ev.scores) : null;
  const negative = model.state.classes.find((c) => c !== model.state.positiveClass) as string;
  const cv = (training.metrics as { cv?: MetricsDoc["cv"] } | undefined)?.cv ?? null;
  const selection = (training.metrics as { model_selection?: MetricsDoc["model_selection"] } | undefined)?.model_selection;
  const doc: MetricsDoc = {
    ...ev.metrics,
    n_train: nTrain,
    n_test: test.length,
    ...(inEngine ? { split: `held out in ${inEngine.engine} by ${inEngine.split}` } : {}),
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
    roc_auc_ci: ev.rocAucInterval,
    ...withCaution(
      smallTestSplit({
        positives: ev.metrics.n_positive,
        negatives: test.length - ev.metrics.n_positive,
        positiveClass: model.state.positiveClass,
        negativeClass: negative,
        interval: ev.rocAucInterval,
        crossValidated: cv !== null,
      }),
    ),
    verdict: verdictAgainst({ name: model.kindName, roc_auc: ev.metrics.roc_auc, log_loss: ev.metrics.log_loss }, ev.baselines, {
      positives: ev.metrics.n_positive,
      negatives: test.length - ev.metrics.n_positive,
      importance: ev.importance,
      columns: columnsOfFeatures(model.featureNames, model.preprocessor.outputColumns),
    }),
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
  const ci = doc.roc_auc_ci && doc.roc_auc_ci.se > 0 ? ` (95% CI ${doc.roc_auc_ci.low.toFixed(3)}–${doc.roc_auc_ci.high.toFixed(3)})` : "";
  log.info(
    `evaluate: test ROC AUC ${doc.roc_auc.toFixed(4)}${ci}, accuracy ${doc.accuracy.toFixed(4)}, F1 ${doc.f1.toFixed(4)} on ${doc.n_test} held-out rows (${seconds.toFixed(2)} s) → ${paths.metricsTxt}`,
  );
  // A separation too good to be true is a warning (shown with --quiet too), as the analysis's leakage alert is.
  if (doc.verdict?.message) (doc.verdict.beaten_by.length === 0 ? log.warn : log.info).call(log, `evaluate: ${doc.verdict.message}`);
  if (doc.test_caution) log.warn(`evaluate: ${doc.test_caution}`);
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

/** The document's `test_caution`, when there is one. */
function withCaution(caution: string | null): { test_caution?: string } {
  return caution ? { test_caution: caution } : {};
}

/** The held-out rows and what evaluate needs of the training rows, however the model was split. */
interface HeldOut {
  table: ProcessedTable;
  /** The held-out rows' indices in `table`. */
  test: Int32Array;
  nTrain: number;
  /** The training rows' positive rate (the majority-class baseline). */
  trainRate: number;
  /** The training rows' indices, where they are in process (the logistic baseline fits on them). */
  logisticTrain?: Int32Array;
  /** The split the imbalance advice retrains on, where the training rows are in process. */
  adviceSplit?: TrainTestSplit;
}

/** The processed file, split again as training split it (the same seeded, stratified split: rows the model never saw). */
async function stratifiedHeldOut(ctx: StageContext, modelPath: string, training: PipeModel["state"]["training"]): Promise<HeldOut> {
  const { table } = await loadProcessed(ctx);
  if (sha256(await readFile(ctx.paths.processed)) !== training.data_sha256) {
    throw new StageError(
      `${modelPath} was trained on other data than ${ctx.paths.processed}; run \`pipe train\` again so the held-out rows are the right ones`,
    );
  }
  const split = stratifiedSplit(table.y, training.test_size, training.seed);
  let trainPos = 0;
  for (const i of split.train) trainPos += table.y[i] as number;
  return { table, test: split.test, nTrain: split.train.length, trainRate: trainPos / split.train.length, logisticTrain: split.train, adviceSplit: split };
}

/**
 * A forest grown in an engine (`pipe train --in-engine`) held out its own rows (a hash of each row's values),
 * which it wrote to test_rows.csv: those are scored. Its training rows stayed in the engine, so there is no
 * logistic baseline and no imbalance advice (both fit on them); the majority-class baseline uses their counts.
 */
async function engineHeldOut(ctx: StageContext, model: PipeModel, modelPath: string, inEngine: InEngineTraining): Promise<HeldOut> {
  const path = join(dirname(modelPath), inEngine.held_out?.file ?? basename(ctx.paths.heldOut));
  if (!inEngine.held_out || !existsSync(path)) {
    throw new StageError(
      `${modelPath} was grown in ${inEngine.engine} on its own held-out rows, which evaluate scores from the test_rows.csv \`pipe train --in-engine\` writes beside it${inEngine.held_out ? ` (${path} is missing)` : " (this model predates it)"}: run \`pipe train --in-engine\` again. Its held-out ROC AUC (${inEngine.roc_auc?.toFixed(4) ?? "n/a"} on ${inEngine.test_rows} rows) is in model.json, training.metrics.in_engine`,
    );
  }
  if (sha256(await readFile(path)) !== inEngine.held_out.sha256) {
    throw new StageError(`${path} is not the file \`pipe train --in-engine\` wrote with ${modelPath}; run it again`);
  }
  requireOutput(ctx.paths.schema, "etl");
  const schema = await readSchema(ctx.paths.schema);
  // The file holds the model's features and the target: the schema's other columns stayed in the engine.
  const columns = new Set([...model.preprocessor.specs.map((s) => s.name), schema.target]);
  const table = await readProcessed(path, { ...schema, columns: schema.columns.filter((c) => columns.has(c.name)) });
  return {
    table,
    test: Int32Array.from(table.y, (_, i) => i),
    nTrain: inEngine.train_rows,
    trainRate: inEngine.train_positives / inEngine.train_rows,
  };
}

/** Each matrix column's input column, by the matrix column's name. */
function columnsOfFeatures(names: readonly string[], columns: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name, j) => [name, columns[j] as string]));
}
