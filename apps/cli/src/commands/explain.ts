import { AtomicTextWriter, formatCsvRow } from "@pipe/etl";
import { type ExplainOptions, FeatureError, NO_FIELDS, startScoreWorkers } from "@pipe/model";
import type { StageContext } from "../stage.js";
import { explanationCells, explanationHeader } from "./explain-columns.js";
import { loadModelForRawRows } from "./model-file.js";
import { openScoringInput } from "./predict.js";

const BATCH_ROWS = 256;

/**
 * `pipe explain`: every row of the input scored and explained, to explanations.json (each row's
 * prediction and contributions, largest first; `top` keeps the k largest) and explanations.csv (one
 * contribution column per model column, for a spreadsheet or a dataframe). A row that cannot be
 * scored gets its error in both, by its line number.
 */
export async function explainStage(ctx: StageContext, unknownFields: "reject" | "ignore", options: ExplainOptions) {
  const { paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  const model = await loadModelForRawRows(modelPath);
  const explainer = model.explainer;
  if (!model.linear) startScoreWorkers();
  const { csv, recordOf } = await openScoringInput(ctx, model, paths.explanationsCsv, unknownFields, "explain");
  const json = new AtomicTextWriter(paths.explanationsJson);
  const table = new AtomicTextWriter(paths.explanationsCsv);
  const all: ExplainOptions = {};
  let rows = 0;
  let failed = 0;
  let first = true;
  let batch: { line: number; record: Record<string, string | undefined> | undefined }[] = [];
  const flush = async () => {
    const records = batch.flatMap((b) => (b.record ? [b.record] : []));
    const results = await model.explainEachAsync(records, all);
    let k = 0;
    const entries: string[] = [];
    const lines: string[] = [];
    for (const { line, record } of batch) {
      const p = record ? results[k++] : undefined;
      if (p === undefined || p instanceof FeatureError) {
        failed++;
        const error = `line ${line}: ${p ? p.message : NO_FIELDS}`;
        entries.push(JSON.stringify({ line, error }));
        lines.push(formatCsvRow([String(line), "", "", "", ...explanationCells(model, all, undefined), error]));
        continue;
      }
      const e = p.explanation;
      const kept =
        options.top === undefined
          ? e
          : { ...e, contributions: e.contributions.slice(0, options.top), rest: e.contributions.slice(options.top).reduce((s, c) => s + c.contribution, 0) };
      entries.push(JSON.stringify({ line, probability: p.probability, prediction: p.prediction, label: p.label, warnings: p.warnings, ...kept }));
      lines.push(formatCsvRow([String(line), String(p.probability), String(p.prediction), p.label, ...explanationCells(model, all, p), ""]));
    }
    if (entries.length > 0) {
      await json.write(`${first ? "" : ",\n"}${entries.join(",\n")}`);
      first = false;
    }
    await table.write(lines.join(""));
    batch = [];
    log.progress("explain: rows", rows);
  };
  try {
    await json.write(
      `{"model_version":${JSON.stringify(model.version)},"target":${JSON.stringify(model.state.target)},"positive_class":${JSON.stringify(model.state.positiveClass)},` +
        `"base_value":${JSON.stringify(explainer.baseValue)},"score":${JSON.stringify(model.scoreName)},"rows":[\n`,
    );
    await table.write(formatCsvRow(["line", "probability", "prediction", "label", ...explanationHeader(model, all), "error"]));
    for await (const r of csv.records) {
      rows++;
      batch.push({ line: r.line, record: recordOf(r.fields) });
      if (batch.length === BATCH_ROWS) await flush();
    }
    if (batch.length > 0) await flush();
    await json.write("\n]}\n");
    await json.commit();
    await table.commit();
  } catch (error) {
    await json.abort();
    await table.abort();
    throw error;
  } finally {
    await csv.close();
  }
  log.info(
    `explain: ${rows} rows explained with ${modelPath}${failed ? ` (${failed} could not be scored: see their error)` : ""} → ${paths.explanationsJson}, ${paths.explanationsCsv}`,
  );
  return { stage: "explain", rows, failed, base_value: explainer.baseValue, outputs: [paths.explanationsJson, paths.explanationsCsv] };
}
