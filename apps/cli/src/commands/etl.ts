import { type EtlOptions, openSource, runEtl, writeFileAtomic } from "@pipe/etl";
import { json, type StageContext } from "../stage.js";

export async function etlStage(ctx: StageContext) {
  const { config, paths, log } = ctx;
  const source = openSource(config.input, config.etl.s3Endpoint ? { s3Endpoint: config.etl.s3Endpoint } : {});
  log.info(`etl: reading ${config.input}`);
  const { s3Endpoint: _, ...etl } = config.etl;
  const options: EtlOptions = { ...etl, target: config.target, ...(config.positive !== undefined ? { positive: config.positive } : {}) };
  const { schema, report } = await runEtl(source, options, { processed: paths.processed, rejected: paths.rejected }, (p) =>
    log.progress(`etl: ${p.pass} pass, rows`, p.rows),
  );
  await writeFileAtomic(paths.schema, json(schema));
  await writeFileAtomic(paths.etlReport, json(report));
  for (const w of report.warnings) log.warn(w);
  const rules = Object.entries(report.rejected_by_rule).map(([r, n]) => `${r} ${n}`);
  log.info(
    `etl: ${report.rows_in} rows read, ${report.rows_out} kept, ${report.rows_rejected} rejected${rules.length ? ` (${rules.join(", ")})` : ""}; ` +
      `${report.columns_out} of ${report.columns_in} columns kept${report.dropped_columns.length ? ` (dropped ${report.dropped_columns.map((d) => d.name).join(", ")})` : ""}`,
  );
  const d = report.duplicates;
  if (d.repeated_rows > 0) log.info(`etl: ${d.repeated_rows} rows repeat an earlier row: ${d.drop ? "dropped" : "kept"} (${d.reason})`);
  return {
    stage: "etl",
    rows_in: report.rows_in,
    rows_out: report.rows_out,
    rows_rejected: report.rows_rejected,
    repeated_rows: report.duplicates.repeated_rows,
    duplicates_dropped: report.duplicates.drop,
    positive_class: schema.positiveClass,
    outputs: [paths.processed, paths.schema, paths.rejected, paths.etlReport],
  };
}
