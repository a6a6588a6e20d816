import { AtomicTextWriter, DEFAULT_MISSING_TOKENS, formatCsvRow, openSource, readCsv } from "@pipe/etl";
import { FeatureError, startScoreWorkers } from "@pipe/model";
import { UsageError } from "../errors.js";
import type { StageContext } from "../stage.js";
import { loadModel } from "./model-file.js";

/** Rows scored at once: a few MB of records, enough for both cores to share each batch. */
const BATCH_ROWS = 8192;

/**
 * Batch scoring: every row of the input CSV gets probability, prediction and label (or the error
 * that stopped it). Columns of the training file the model does not use are ignored (said once);
 * a column the training data never had stops the run unless `unknownFields` is "ignore".
 */
export async function predictStage(ctx: StageContext, output: string, unknownFields: "reject" | "ignore" = "reject") {
  const { config, paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  const model = await loadModel(modelPath);
  const csv = await readCsv(openSource(config.input, config.etl.s3Endpoint ? { s3Endpoint: config.etl.s3Endpoint } : {}), {
    ...(config.etl.delimiter ? { delimiter: config.etl.delimiter } : {}),
    ...(config.etl.header === false ? { header: false } : {}),
    ...(config.etl.columns ? { columns: config.etl.columns } : {}),
  });
  const fields = model.inputFields;
  const used = new Set(fields.features.map((f) => f.name));
  const ignored = new Map(fields.ignored.map((f) => [f.name, f.reason]));
  const unknown = csv.columns.filter((c) => !used.has(c) && !ignored.has(c));
  if (unknown.length && unknownFields === "reject") {
    await csv.records.return(undefined);
    throw new UsageError(
      `${config.input} has column(s) the training data did not have: ${unknown.join(", ")}; the model uses ${[...used].join(", ")}. Pass --unknown-fields ignore to score it anyway`,
    );
  }
  const skipped = csv.columns.filter((c) => ignored.has(c)).map((c) => `${c} (${ignored.get(c)})`);
  if (skipped.length) log.info(`predict: ignoring columns the model does not use: ${skipped.join(", ")}`);
  if (unknown.length) log.warn(`predict: ignoring columns the training data did not have: ${unknown.join(", ")}`);
  const usedIndex = csv.columns.map((c) => used.has(c));
  if (!usedIndex.some(Boolean)) {
    await csv.records.return(undefined);
    throw new UsageError(`${config.input} has none of the model's fields (${[...used].join(", ")}); nothing to score`);
  }
  const missing = new Set(config.etl.missingTokens ?? DEFAULT_MISSING_TOKENS);
  startScoreWorkers();
  const writer = new AtomicTextWriter(output);
  let rows = 0;
  let failed = 0;
  let positives = 0;
  // Rows are scored by batches: one matrix through the forest (on both cores), one write.
  let batch: { fields: string[]; line: number; record: Record<string, string | undefined> | undefined }[] = [];
  const flush = async () => {
    const scorable = batch.flatMap((b) => (b.record ? [b.record] : []));
    const results = await model.predictEachAsync(scorable);
    const lines: string[] = [];
    let k = 0;
    for (const { fields, line, record } of batch) {
      const p = record ? results[k++] : undefined;
      if (p === undefined || p instanceof FeatureError) {
        failed++;
        fields.push("", "", "", "", `line ${line}: ${p ? p.message : "the row has none of the model's fields"}`);
      } else {
        positives += p.prediction;
        fields.push(String(p.probability), String(p.prediction), p.label, p.warnings.join("; "), "");
      }
      lines.push(formatCsvRow(fields));
    }
    // One string for the batch, joined once (appending row by row built a rope V8 flattened on write).
    await writer.write(lines.join(""));
    batch = [];
    log.progress("predict: rows", rows);
  };
  try {
    await writer.write(formatCsvRow([...csv.columns, "probability", "prediction", "label", "warnings", "error"]));
    for await (const r of csv.records) {
      rows++;
      const record: Record<string, string | undefined> = {};
      let present = 0;
      csv.columns.forEach((c, j) => {
        if (!usedIndex[j]) return;
        const v = (r.fields[j] ?? "").trim();
        record[c] = missing.has(v) ? undefined : v;
        if (record[c] !== undefined) present++;
      });
      batch.push({ fields: r.fields, line: r.line, record: present === 0 ? undefined : record });
      if (batch.length === BATCH_ROWS) await flush();
    }
    if (batch.length > 0) await flush();
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  log.info(
    `predict: ${rows} rows scored with ${modelPath} (${positives} predicted ${model.state.positiveClass}${failed ? `, ${failed} rows could not be scored: see the error column` : ""}) → ${output}`,
  );
  return { stage: "predict", rows, failed, predicted_positive: positives, outputs: [output] };
}
