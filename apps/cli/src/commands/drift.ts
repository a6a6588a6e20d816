import { writeFileAtomic } from "@pipe/etl";
import { DriftSample, FeatureError, startScoreWorkers } from "@pipe/model";
import { type DriftDoc, driftVerdict, formatDriftText } from "@pipe/report";
import { driftReport } from "@pipe/stats";
import { shownInput } from "../engine-input.js";
import { json, type StageContext, StageError } from "../stage.js";
import { loadModelForRawRows } from "./model-file.js";
import { openScoringInput } from "./predict.js";

const BATCH_ROWS = 8192;

/**
 * `pipe drift`: does new data still look like the training data? Every input column of the model and
 * its predictions, compared with what the model file keeps of its training rows, by the test or
 * distance Evidently uses by default; drift.json and drift.txt, and a section of the next report.
 */
export async function driftStage(ctx: StageContext, unknownFields: "reject" | "ignore") {
  const { config, paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  const model = await loadModelForRawRows(modelPath);
  const reference = model.state.driftReference;
  if (!reference) {
    const inEngine = (model.state.training.metrics as { in_engine?: unknown } | undefined)?.in_engine !== undefined;
    throw new StageError(
      `${modelPath} keeps no drift reference (it was written before pipe kept one); train it again with \`pipe train${inEngine ? " --in-engine" : ""}\``,
    );
  }
  startScoreWorkers();
  const { csv, recordOf } = await openScoringInput(ctx, model, paths.driftJson, unknownFields, "drift");
  const sample = new DriftSample(model);
  let rows = 0;
  let batch: Record<string, string | undefined>[] = [];
  const flush = async () => {
    const scored = await model.predictEachAsync(batch);
    batch.forEach((r, i) => {
      const p = scored[i];
      sample.add(r, p instanceof FeatureError || p === undefined ? undefined : p.probability);
    });
    batch = [];
    log.progress("drift: rows", rows);
  };
  try {
    for await (const r of csv.records) {
      rows++;
      const record = recordOf(r.fields);
      if (record) batch.push(record);
      if (batch.length === BATCH_ROWS) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await csv.close();
  }
  if (sample.rows === 0) throw new StageError(`${shownInput(config.input)} has no row with any of the model's fields; nothing to compare`);
  const prediction = sample.predictionInput(reference);
  const doc: DriftDoc = {
    model_version: model.version,
    input: shownInput(config.input),
    rows: sample.rows,
    reference_rows: reference.rows,
    created_at: new Date().toISOString(),
    ...driftReport(sample.inputs(reference), prediction ? { prediction } : {}),
  };
  await writeFileAtomic(paths.driftJson, json(doc));
  await writeFileAtomic(paths.driftTxt, formatDriftText(doc));
  log.info(`drift: ${driftVerdict(doc)} → ${paths.driftTxt}`);
  return {
    stage: "drift",
    rows: doc.rows,
    dataset_drift: doc.dataset_drift,
    drifted_columns: doc.columns.filter((c) => c.drifted).map((c) => c.column),
    share: doc.share,
    prediction_drift: doc.prediction?.drifted ?? null,
    outputs: [paths.driftJson, paths.driftTxt],
  };
}
