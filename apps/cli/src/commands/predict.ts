import {
  AtomicTextWriter,
  type CsvByteBatch,
  CsvRowBytes,
  DEFAULT_MISSING_TOKENS,
  formatCsvRow,
  openSource,
  type ReadCsvOptions,
  readCsv,
  type TableAppender,
  writeFileAtomic,
} from "@pipe/etl";
import {
  CellScorer,
  type CellScores,
  type EncodedCells,
  type ExplainOptions,
  FeatureError,
  NO_FIELDS,
  type PipeModel,
  spelledAs,
  startScoreWorkers,
} from "@pipe/model";
import { inputKind, shownInput } from "../engine-input.js";
import { UsageError } from "../errors.js";
import { json, type StageContext } from "../stage.js";
import { explanationCells, explanationHeader } from "./explain-columns.js";
import { LabelledScores } from "./labelled-scores.js";
import { loadModelForRawRows } from "./model-file.js";
import { batchesOf, openEngineRows, type RowSource, rowsOf } from "./predict-source.js";

/**
 * Rows scored at once: a few MB of records, enough for both cores to share each batch — 8,192 rows of
 * up to 32 columns, fewer of a wider file (a batch's memory follows its cells: 250,000 rows of 61
 * columns peaked at 273 MB by batches of 8,192 and 237 MB by 4,096, in the same time).
 */
export function batchRows(columns: number): number {
  const rows = 2 ** Math.floor(Math.log2(BATCH_CELLS / Math.max(1, columns)));
  return Math.min(8192, Math.max(1024, rows));
}
const BATCH_CELLS = 1 << 18;

/**
 * Batch scoring: every row of the input gets probability, prediction and label (or the error that
 * stopped it). Columns of the training file the model does not use are ignored (said once); a column
 * the training data never had stops the run unless `unknownFields` is "ignore". The input is a CSV, or
 * a table of an engine (Parquet, duckdb:, clickhouse://) streamed through the scorer in batches; with
 * `etl.outputTable` the scores also go back to a table of the input's database, keyed by source_line.
 * When the input still has the model's target column (a labelled held-out file), the scores are also
 * measured against those labels: `<output>.metrics.json` beside the scored file, and a line in the log.
 */
export async function predictStage(ctx: StageContext, output: string, unknownFields: "reject" | "ignore" = "reject", explain?: ExplainOptions) {
  const { config, paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  const model = await loadModelForRawRows(modelPath);
  const outputTable = config.etl.outputTable;
  if (outputTable !== undefined && !["duckdb", "clickhouse"].includes(inputKind(config.input).kind)) {
    throw new UsageError("--output-table writes the scores back to the input's database: give a duckdb:FILE?table=NAME or clickhouse://...?table=NAME input");
  }
  if (explain) void model.explainer; // a model file that cannot explain stops here, before any input is read
  const { csv, scorer, recordOf } = await openScoringInput(ctx, model, output, unknownFields);
  if (!model.linear) startScoreWorkers();
  const writer = new AtomicTextWriter(output);
  const scores: TableAppender | undefined = outputTable !== undefined ? await csv.scoresTable?.() : undefined;
  const tally: Tally = { rows: 0, failed: 0, positives: 0 };
  const labels = LabelledScores.of(model, csv.columns, config);
  const out: ScoredOutput = {
    writer,
    bytes: new CsvRowBytes(),
    scores,
    tally,
    labels,
    written: async () => {
      await scores?.flush();
      log.progress("predict: rows", tally.rows);
    },
  };
  try {
    await writer.write(
      formatCsvRow([...csv.columns, "probability", "prediction", "label", "warnings", "error", ...(explain ? explanationHeader(model, explain) : [])]),
    );
    if (explain) await explainRows(model, csv, recordOf, explain, out);
    else await scoreRows(scorer, csv.bytes, csv.columns.length, out);
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
  const { rows, failed, positives } = tally;
  log.info(
    `predict: ${rows} rows scored with ${modelPath} (${positives} predicted ${model.state.positiveClass}${failed ? `, ${failed} rows could not be scored: see the error column` : ""}) → ${output}${outputTable !== undefined ? ` and table ${outputTable}` : ""}`,
  );
  const outputs = [output];
  let measured: ReturnType<LabelledScores["summary"]> | undefined;
  if (labels) {
    measured = labels.summary();
    const file = metricsPathOf(output);
    await writeFileAtomic(file, json(measured));
    outputs.push(file);
    const m = measured.metrics;
    log.info(
      m
        ? `predict: against the ${measured.target} labels of ${measured.rows_labelled} rows: ROC AUC ${m.roc_auc.toFixed(4)}, accuracy ${m.accuracy.toFixed(4)}, precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, F1 ${m.f1.toFixed(4)} at threshold ${m.threshold} → ${file}`
        : `predict: the input has the target column ${measured.target}, but no metrics: ${measured.note} → ${file}`,
    );
    const advice = labels.unknownAdvice(measured);
    if (advice) log.warn(`predict: ${advice}`);
  }
  return {
    stage: "predict",
    rows,
    failed,
    predicted_positive: positives,
    ...(measured
      ? {
          labelled: {
            rows: measured.rows_labelled,
            roc_auc: measured.metrics?.roc_auc ?? null,
            accuracy: measured.metrics?.accuracy ?? null,
            f1: measured.metrics?.f1 ?? null,
          },
        }
      : {}),
    outputs,
  };
}

/** Where the metrics of a labelled input go: beside the scored file (`scored.csv` → `scored.metrics.json`). */
function metricsPathOf(output: string): string {
  return `${output.replace(/\.csv$/i, "")}.metrics.json`;
}

interface Tally {
  rows: number;
  failed: number;
  positives: number;
}

/** Where scored rows go: the CSV, the engine's table of scores (if any), the counts, and what follows each batch written. */
interface ScoredOutput {
  writer: AtomicTextWriter;
  /** Where a batch's CSV is encoded (reused: the writer is done with its bytes once a write settles). */
  bytes: CsvRowBytes;
  scores: TableAppender | undefined;
  tally: Tally;
  /** The input's labels, when it has the model's target column. */
  labels: LabelledScores | undefined;
  written: () => Promise<void>;
}

/**
 * Scores the rows by batches, in a pipeline IN_FLIGHT batches deep: batches k+1 and k+2 are read,
 * encoded and queued for the scoring workers before this thread joins the scoring of batch k (taking
 * the chunks the workers have not begun, then, while they finish theirs, chunks of batch k+1) and
 * writes it. The workers always find a queued batch: two deep, they ran out while this thread wrote
 * one batch and read the next, and this thread waited for them in turn (a million Adult rows: 0.66
 * s of this thread's 3.6 and 0.95 s of the worker's idle; three deep, 0.2 s each, 3.6 → 3.3 s).
 * Memory holds four batches whatever the input's size.
 */
const IN_FLIGHT = 3;

async function scoreInPipeline<B>(
  scorer: CellScorer,
  next: () => Promise<B | undefined>,
  encode: (batch: B) => EncodedCells,
  write: (batch: B, scores: CellScores) => Promise<void>,
) {
  const start = (batch: B) => {
    let join = () => {};
    const joined = new Promise<void>((resolve) => {
      join = resolve;
    });
    const scores = scorer.scoreEncoded(encode(batch), { meanwhile: () => joined });
    // Awaited below, in order; a failure while an earlier batch is written is not an unhandled rejection.
    scores.catch(() => undefined);
    return { batch, scores, join };
  };
  // Batches read and queued for the workers, not yet written; the oldest is written once there are IN_FLIGHT.
  const inFlight: ReturnType<typeof start>[] = [];
  let more = true;
  try {
    for (;;) {
      const batch = more ? await next() : undefined;
      if (batch === undefined) more = false;
      else inFlight.push(start(batch));
      if (more && inFlight.length < IN_FLIGHT) continue;
      const oldest = inFlight.shift();
      if (!oldest) break;
      oldest.join();
      await write(oldest.batch, await oldest.scores);
    }
  } catch (error) {
    for (const queued of inFlight) queued.join();
    throw error;
  }
}

/**
 * The rows scored by batches of bytes (see scoreInPipeline): each column's distinct values are decoded
 * and decided once (CellScorer.batchEncoder), and each row's cells are copied to the output as bytes;
 * no string is kept per cell. The same output, byte for byte, as scoring the rows' text.
 */
async function scoreRows(scorer: CellScorer, bytes: RowSource["bytes"], columns: number, out: ScoredOutput) {
  const labelsOf = out.labels && labelCells(out.labels.labelColumn, bytes.valueText);
  const source = bytes.batches(batchRows(columns))[Symbol.asyncIterator]();
  try {
    await scoreInPipeline(
      scorer,
      async () => {
        const next = await source.next();
        return next.done ? undefined : next.value;
      },
      scorer.batchEncoder(bytes.valueText),
      async (batch, scores) => {
        await writeScored(scorer, batch, scores, out, labelsOf);
        bytes.release(batch);
      },
    );
  } finally {
    // Stopped early (a write failed): the scan closes the input (csvRows' close stops the text face only).
    await source.return?.(undefined);
  }
}

/** The text of a batch's record's label cell ("" where the record is short of that column): each distinct value decoded once. */
function labelCells(column: number, valueText: (column: number, id: number) => string) {
  const texts: string[] = [];
  return (batch: CsvByteBatch, i: number): string => {
    const o = (batch.first[i] as number) + column;
    if (o >= (batch.first[i + 1] as number)) return "";
    const id = batch.ids[o] as number;
    if (id < 0) return batch.text(o);
    let text = texts[id];
    if (text === undefined) {
      text = valueText(column, id);
      texts[id] = text;
    }
    return text;
  };
}

/** How a row's warnings are joined in its warnings cell. */
const WARNINGS_SEPARATOR = "; ";

/** A scored batch as CSV, in one write: each record's cells as they came where they need no quoting (CsvRowBytes.record), then the scores. */
async function writeScored(
  scorer: CellScorer,
  batch: CsvByteBatch,
  scored: CellScores,
  out: ScoredOutput,
  labelOf: ((batch: CsvByteBatch, i: number) => string) | undefined,
) {
  const { tally, bytes, labels, scores } = out;
  const { rows, lines } = batch;
  // Written on every row: encoded once per batch.
  const encoded = {
    predictions: [CsvRowBytes.encode("0"), CsvRowBytes.encode("1")] as const,
    labels: [CsvRowBytes.encode(scorer.labels[0]), CsvRowBytes.encode(scorer.labels[1])] as const,
  };
  for (let i = 0; i < rows; i++) {
    bytes.record(batch, i);
    const error = scored.errors.get(i);
    if (labels && labelOf) labels.addLabel(labelOf(batch, i), error === undefined ? (scored.probability[i] as number) : undefined);
    if (error !== undefined) {
      tally.failed++;
      const message = `line ${lines[i]}: ${error}`;
      bytes.row(["", "", "", "", message]);
      scores?.append([lines[i] as number, "", "", "", "", message]);
      continue;
    }
    const prediction = scored.prediction[i] as 0 | 1;
    tally.positives += prediction;
    const warned = scored.warnings[i];
    bytes.numberField(scored.probability[i] as number);
    bytes.encodedField(encoded.predictions[prediction]);
    bytes.encodedField(encoded.labels[prediction]);
    if (warned) bytes.joinedField(warned, WARNINGS_SEPARATOR);
    else bytes.field("");
    bytes.field("");
    bytes.endRow();
    scores?.append([
      lines[i] as number,
      String(scored.probability[i]),
      String(prediction),
      scorer.labels[prediction],
      warned?.join(WARNINGS_SEPARATOR) ?? "",
      "",
    ]);
  }
  tally.rows += rows;
  await out.writer.write(bytes.take());
  await out.written();
}

/** Scores and explains the rows by batches (TreeSHAP costs far more than reading and writing: no pipeline). */
async function explainRows(
  model: PipeModel,
  csv: RowSource,
  recordOf: (fields: readonly string[]) => Record<string, string | undefined> | undefined,
  explain: ExplainOptions,
  out: ScoredOutput,
) {
  const { tally, scores } = out;
  const source = batchesOf(csv.batches, batchRows(csv.columns.length));
  for (let batch = await source.next(); batch; batch = await source.next()) {
    const records = batch.map((r) => recordOf(r.fields));
    const results = await model.explainEachAsync(
      records.flatMap((r) => (r ? [r] : [])),
      explain,
    );
    const lines: string[] = [];
    let k = 0;
    batch.forEach(({ fields, line }, i) => {
      const p = records[i] ? results[k++] : undefined;
      out.labels?.add(fields, p === undefined || p instanceof FeatureError ? undefined : p.probability);
      if (p === undefined || p instanceof FeatureError) {
        tally.failed++;
        const error = `line ${line}: ${p ? p.message : NO_FIELDS}`;
        fields.push("", "", "", "", error, ...explanationCells(model, explain, undefined));
        scores?.append([line, "", "", "", "", error]);
      } else {
        tally.positives += p.prediction;
        fields.push(String(p.probability), String(p.prediction), p.label, p.warnings.join(WARNINGS_SEPARATOR), "", ...explanationCells(model, explain, p));
        scores?.append([line, String(p.probability), String(p.prediction), p.label, p.warnings.join(WARNINGS_SEPARATOR), ""]);
      }
      lines.push(formatCsvRow(fields));
    });
    tally.rows += batch.length;
    await out.writer.write(lines.join(""));
    await out.written();
  }
}

/**
 * The tokens read as missing in a file to score: this run's when they are not the defaults (set for it),
 * else the training run's (a model trained with `etl.missingTokens: ["", "-1"]` reads -1 as missing when
 * scoring too, wherever it is run; one trained without "NA" keeps "NA" a value), else the defaults.
 */
export function scoringMissingTokens(configured: readonly string[] | undefined, trained: readonly string[] | undefined): readonly string[] {
  const defaults =
    configured === undefined || (configured.length === DEFAULT_MISSING_TOKENS.length && configured.every((t, i) => t === DEFAULT_MISSING_TOKENS[i]));
  if (!defaults) return configured;
  return trained ?? DEFAULT_MISSING_TOKENS;
}

/**
 * The rows to score, their scorer, and how a row becomes a record (CellScorer.recordOf: the model's
 * columns only, missing tokens as missing, undefined for a row with none of them). Refuses (and closes) an input with columns the
 * training data never had, unless they are to be ignored, or with none of the model's columns.
 */
export async function openScoringInput(
  ctx: StageContext,
  model: PipeModel,
  output: string,
  unknownFields: "reject" | "ignore",
  stage = "predict",
): Promise<{ csv: RowSource; scorer: CellScorer; recordOf: (fields: readonly string[]) => Record<string, string | undefined> | undefined }> {
  const { config, log } = ctx;
  // A CSV is read directly (scoring needs no engine); tables and Parquet files stream from theirs.
  // The model's columns tell a header row that holds numbers (years as column names) from data.
  const named = [...model.inputFields.features.map((f) => f.name), model.state.target];
  const missingTokens = scoringMissingTokens(config.etl.missingTokens, model.trainingMissingTokens);
  const csv: RowSource =
    inputKind(config.input).kind !== "csv"
      ? await openEngineRows(config, output)
      : await csvRows({ ...config, etl: { ...config.etl, missingTokens: [...missingTokens] } }, named, {
          dateOrders: model.state.dateOrders,
          numberForms: model.state.numberForms,
        });
  const fields = model.inputFields;
  const used = new Set(fields.features.map((f) => f.name));
  const ignored = new Map(fields.ignored.map((f) => [f.name, f.reason]));
  const unknown = csv.columns.filter((c) => !used.has(c) && !ignored.has(c));
  // A column the model knows under another spelling (case, spaces, underscores) is named, not guessed at.
  const known = [...used, ...ignored.keys()];
  const shown = unknown.map((c) => {
    const meant = spelledAs(c, known);
    return meant === undefined ? c : `${c} (the model's ${meant}, spelt otherwise: rename the column)`;
  });
  if (unknown.length && unknownFields === "reject") {
    await csv.close();
    throw new UsageError(
      `${shownInput(config.input)} has column(s) the training data did not have: ${shown.join(", ")}; the model uses ${[...used].join(", ")}. Pass --unknown-fields ignore to score it anyway`,
    );
  }
  const skipped = csv.columns.filter((c) => ignored.has(c)).map((c) => `${c} (${ignored.get(c)})`);
  if (skipped.length) log.info(`${stage}: ignoring columns the model does not use: ${skipped.join(", ")}`);
  if (unknown.length) log.warn(`${stage}: ignoring columns the training data did not have: ${shown.join(", ")}`);
  const usedIndex = csv.columns.map((c) => used.has(c));
  if (!usedIndex.some(Boolean)) {
    await csv.close();
    throw new UsageError(`${shownInput(config.input)} has none of the model's fields (${[...used].join(", ")}); nothing to score`);
  }
  // Said once for the file (each row's warnings say it again, as a record without the field gets it).
  const absent = [...used].filter((f) => !csv.columns.includes(f));
  if (absent.length)
    log.warn(
      `${stage}: ${shownInput(config.input)} has no column for ${absent.join(", ")}, which the model uses: every row takes ${absent.length === 1 ? "it" : "them"} as missing (imputed as in training)`,
    );
  const scorer = new CellScorer(model, csv.columns, new Set(missingTokens));
  return { csv, scorer, recordOf: (cells) => scorer.recordOf(cells) };
}

/** The rows of a CSV input, with its layout options; `expectedNames`, the columns looked for (see ReadCsvOptions). */
export async function csvRows(
  config: StageContext["config"],
  expectedNames: readonly string[] = [],
  /** How a model's training file wrote its dates and numbers, for columns whose values here cannot tell. */
  trained: { dateOrders?: ReadCsvOptions["dateOrders"] | null; numberForms?: ReadCsvOptions["numberForms"] | null } = {},
): Promise<RowSource> {
  const csv = await readCsv(openSource(config.input, config.etl.s3Endpoint ? { s3Endpoint: config.etl.s3Endpoint } : {}), {
    ...(config.etl.delimiter ? { delimiter: config.etl.delimiter } : {}),
    ...(config.etl.header === false ? { header: false } : {}),
    ...(config.etl.columns ? { columns: config.etl.columns } : {}),
    ...(config.etl.comment ? { comment: config.etl.comment } : {}),
    ...(config.etl.skipLines ? { skipLines: config.etl.skipLines } : {}),
    ...(config.etl.decimal ? { decimal: config.etl.decimal } : {}),
    ...(config.etl.thousands ? { thousands: config.etl.thousands } : {}),
    ...(config.etl.missingTokens ? { missingTokens: config.etl.missingTokens } : {}),
    expectedNames,
    ...(trained.dateOrders ? { dateOrders: trained.dateOrders } : {}),
    ...(trained.numberForms ? { numberForms: trained.numberForms } : {}),
  });
  return {
    columns: csv.columns,
    batches: csv.batches,
    records: rowsOf(csv.batches),
    bytes: { batches: (rows) => csv.byteBatches(rows), valueText: csv.valueText, release: csv.releaseBatch },
    close: async () => {
      await csv.batches.return(undefined);
    },
  };
}
