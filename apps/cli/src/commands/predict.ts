import { AtomicTextWriter, DEFAULT_MISSING_TOKENS, formatCsvRow, openSource, readCsv } from "@pipe/etl";
import { FeatureError } from "@pipe/model";
import type { StageContext } from "../stage.js";
import { loadModel } from "./model-file.js";

/** Batch scoring: every row of the input CSV gets probability, prediction and label (or the error that stopped it). */
export async function predictStage(ctx: StageContext, output: string) {
  const { config, paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  const model = await loadModel(modelPath);
  const csv = await readCsv(openSource(config.input, config.etl.s3Endpoint ? { s3Endpoint: config.etl.s3Endpoint } : {}), {
    ...(config.etl.delimiter ? { delimiter: config.etl.delimiter } : {}),
    ...(config.etl.header === false ? { header: false } : {}),
    ...(config.etl.columns ? { columns: config.etl.columns } : {}),
  });
  const missing = new Set(config.etl.missingTokens ?? DEFAULT_MISSING_TOKENS);
  const writer = new AtomicTextWriter(output);
  let rows = 0;
  let failed = 0;
  let positives = 0;
  try {
    await writer.write(formatCsvRow([...csv.columns, "probability", "prediction", "label", "warnings", "error"]));
    for await (const r of csv.records) {
      rows++;
      const record: Record<string, string | undefined> = {};
      csv.columns.forEach((c, j) => {
        const v = (r.fields[j] ?? "").trim();
        record[c] = missing.has(v) ? undefined : v;
      });
      try {
        const p = model.predict(record);
        positives += p.prediction;
        await writer.write(formatCsvRow([...r.fields, String(p.probability), String(p.prediction), p.label, p.warnings.join("; "), ""]));
      } catch (error) {
        if (!(error instanceof FeatureError)) throw error;
        failed++;
        await writer.write(formatCsvRow([...r.fields, "", "", "", "", `line ${r.line}: ${error.message}`]));
      }
      if (rows % 10000 === 0) log.progress("predict: rows", rows);
    }
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
