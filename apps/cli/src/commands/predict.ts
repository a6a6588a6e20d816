import { AtomicTextWriter, DEFAULT_MISSING_TOKENS, formatCsvRow, openSource, readCsv, type TableAppender } from "@pipe/etl";
import { type ExplainedPrediction, type ExplainOptions, FeatureError, type PipeModel, startScoreWorkers } from "@pipe/model";
import { inputKind, shownInput } from "../engine-input.js";
import { UsageError } from "../errors.js";
import type { StageContext } from "../stage.js";
import { explanationCells, explanationHeader } from "./explain-columns.js";
import { loadModel } from "./model-file.js";
import { openEngineRows, type RowSource } from "./predict-source.js";

/** Rows scored at once: a few MB of records, enough for both cores to share each batch. */
const BATCH_ROWS = 8192;

/**
 * Batch scoring: every row of the input gets probability, prediction and label (or the error that
 * stopped it). Columns of the training file the model does not use are ignored (said once); a column
 * the training data never had stops the run unless `unknownFields` is "ignore". The input is a CSV, or
 * a table of an engine (Parquet, duckdb:, clickhouse://) streamed through the scorer in batches; with
 * `etl.outputTable` the scores also go back to a table of the input's database, keyed by source_line.
 */
export async function predictStage(ctx: StageContext, output: string, unknownFields: "reject" | "ignore" = "reject", explain?: ExplainOptions) {
  const { config, paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  const model = await loadModel(modelPath);
  const outputTable = config.etl.outputTable;
  if (outputTable !== undefined && !["duckdb", "clickhouse"].includes(inputKind(config.input).kind)) {
    throw new UsageError("--output-table writes the scores back to the input's database: give a duckdb:FILE?table=NAME or clickhouse://...?table=NAME input");
  }
  if (explain) void model.explainer; // a model file that cannot explain stops here, before any input is read
  const { csv, recordOf } = await openScoringInput(ctx, model, output, unknownFields);
  startScoreWorkers();
  const writer = new AtomicTextWriter(output);
  const scores: TableAppender | undefined = outputTable !== undefined ? await csv.scoresTable?.() : undefined;
  let rows = 0;
  let failed = 0;
  let positives = 0;
  // Rows are scored by batches: one matrix through the forest (on both cores), one write.
  let batch: { fields: string[]; line: number; record: Record<string, string | undefined> | undefined }[] = [];
  const flush = async () => {
    const scorable = batch.flatMap((b) => (b.record ? [b.record] : []));
    const results = explain ? await model.explainEachAsync(scorable, explain) : await model.predictEachAsync(scorable);
    const lines: string[] = [];
    let k = 0;
    for (const { fields, line, record } of batch) {
      const p = record ? results[k++] : undefined;
      if (p === undefined || p instanceof FeatureError) {
        failed++;
        const error = `line ${line}: ${p ? p.message : "the row has none of the model's fields"}`;
        fields.push("", "", "", "", error);
        if (explain) fields.push(...explanationCells(model, explain, undefined));
        scores?.append([line, "", "", "", "", error]);
      } else {
        positives += p.prediction;
        fields.push(String(p.probability), String(p.prediction), p.label, p.warnings.join("; "), "");
        if (explain) fields.push(...explanationCells(model, explain, p as ExplainedPrediction));
        scores?.append([line, String(p.probability), String(p.prediction), p.label, p.warnings.join("; "), ""]);
      }
      lines.push(formatCsvRow(fields));
    }
    // One string for the batch, joined once (appending row by row built a rope V8 flattened on write).
    await writer.write(lines.join(""));
    await scores?.flush();
    batch = [];
    log.progress("predict: rows", rows);
  };
  try {
    await writer.write(
      formatCsvRow([...csv.columns, "probability", "prediction", "label", "warnings", "error", ...(explain ? explanationHeader(model, explain) : [])]),
    );
    for await (const r of csv.records) {
      rows++;
      batch.push({ fields: r.fields, line: r.line, record: recordOf(r.fields) });
      if (batch.length === BATCH_ROWS) await flush();
    }
    if (batch.length > 0) await flush();
    await writer.commit();
    if (scores) {
      await scores.close();
      await csv.publishScores?.(outputTable as string);
    }
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await csv.close();
  }
  log.info(
    `predict: ${rows} rows scored with ${modelPath} (${positives} predicted ${model.state.positiveClass}${failed ? `, ${failed} rows could not be scored: see the error column` : ""}) → ${output}${outputTable !== undefined ? ` and table ${outputTable}` : ""}`,
  );
  return { stage: "predict", rows, failed, predicted_positive: positives, outputs: [output] };
}

/**
 * The rows to score and how a row becomes a record: the model's columns only, missing tokens as
 * missing, undefined for a row with none of them. Refuses (and closes) an input with columns the
 * training data never had, unless they are to be ignored, or with none of the model's columns.
 */
export async function openScoringInput(
  ctx: StageContext,
  model: PipeModel,
  output: string,
  unknownFields: "reject" | "ignore",
  stage = "predict",
): Promise<{ csv: RowSource; recordOf: (fields: readonly string[]) => Record<string, string | undefined> | undefined }> {
  const { config, log } = ctx;
  // A CSV is read directly (scoring needs no engine); tables and Parquet files stream from theirs.
  const csv: RowSource = inputKind(config.input).kind !== "csv" ? await openEngineRows(config, output) : await csvRows(config);
  const fields = model.inputFields;
  const used = new Set(fields.features.map((f) => f.name));
  const ignored = new Map(fields.ignored.map((f) => [f.name, f.reason]));
  const unknown = csv.columns.filter((c) => !used.has(c) && !ignored.has(c));
  if (unknown.length && unknownFields === "reject") {
    await csv.close();
    throw new UsageError(
      `${shownInput(config.input)} has column(s) the training data did not have: ${unknown.join(", ")}; the model uses ${[...used].join(", ")}. Pass --unknown-fields ignore to score it anyway`,
    );
  }
  const skipped = csv.columns.filter((c) => ignored.has(c)).map((c) => `${c} (${ignored.get(c)})`);
  if (skipped.length) log.info(`${stage}: ignoring columns the model does not use: ${skipped.join(", ")}`);
  if (unknown.length) log.warn(`${stage}: ignoring columns the training data did not have: ${unknown.join(", ")}`);
  const usedIndex = csv.columns.map((c) => used.has(c));
  if (!usedIndex.some(Boolean)) {
    await csv.close();
    throw new UsageError(`${shownInput(config.input)} has none of the model's fields (${[...used].join(", ")}); nothing to score`);
  }
  const missing = new Set(config.etl.missingTokens ?? DEFAULT_MISSING_TOKENS);
  const recordOf = (fields: readonly string[]) => {
    const record: Record<string, string | undefined> = {};
    let present = 0;
    csv.columns.forEach((c, j) => {
      if (!usedIndex[j]) return;
      const v = (fields[j] ?? "").trim();
      record[c] = missing.has(v) ? undefined : v;
      if (record[c] !== undefined) present++;
    });
    return present === 0 ? undefined : record;
  };
  return { csv, recordOf };
}

/** The rows of a CSV input, with its layout options. */
export async function csvRows(config: StageContext["config"]): Promise<RowSource> {
  const csv = await readCsv(openSource(config.input, config.etl.s3Endpoint ? { s3Endpoint: config.etl.s3Endpoint } : {}), {
    ...(config.etl.delimiter ? { delimiter: config.etl.delimiter } : {}),
    ...(config.etl.header === false ? { header: false } : {}),
    ...(config.etl.columns ? { columns: config.etl.columns } : {}),
  });
  return {
    columns: csv.columns,
    records: csv.records,
    close: async () => {
      await csv.records.return(undefined);
    },
  };
}
