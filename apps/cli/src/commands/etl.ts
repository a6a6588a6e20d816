import { statSync } from "node:fs";
import { dirname } from "node:path";
import { type EngineOutputs, type EtlOptions, type EtlResult, openSource, runCsvEtlInEngine, runEtl, runEtlInEngine, writeFileAtomic } from "@pipe/etl";
import { inputKind, openEngineInput, shownInput, usesEngine } from "../engine-input.js";
import { UsageError } from "../errors.js";
import { hashFileAside, hashingSource, inputSha256 } from "../lineage.js";
import { json, type StageContext } from "../stage.js";

export async function etlStage(ctx: StageContext) {
  const { config, paths, log } = ctx;
  const { s3Endpoint: _, engine: __, engineMemoryLimit: ___, engineThreads: ____, outputTable, ...etl } = config.etl;
  const options: EtlOptions = { ...etl, target: config.target, ...(config.positive !== undefined ? { positive: config.positive } : {}) };
  const files = { processed: paths.processed, rejected: paths.rejected };
  let result: EtlResult;
  // The raw input's SHA-256 for the model's lineage, taken as the ETL reads it (the processed file has its own).
  let fingerprint: () => string | null = () => null;
  if (!usesEngine(config)) {
    if (outputTable !== undefined) {
      throw new UsageError("--output-table writes back to the input's database: give a duckdb:FILE?table=NAME or clickhouse://...?table=NAME input");
    }
    log.info(`etl: reading ${config.input}`);
    const source = openSource(config.input, config.etl.s3Endpoint ? { s3Endpoint: config.etl.s3Endpoint } : {});
    const local = largeLocalFile(config.input);
    if (local !== undefined) {
      // A large local file is hashed on another thread as the ETL reads it on this one.
      const aside = hashFileAside(local);
      try {
        result = await runEtl(source, options, files, (p) => log.progress(`etl: ${p.pass} pass, rows`, p.rows));
        const sha = await aside.sha256();
        if (sha === null)
          log.warn(
            `etl: ${local} could not be fingerprinted (it changed while it was read, or could not be read again): its SHA-256 is not recorded in the lineage`,
          );
        fingerprint = () => sha;
      } finally {
        await aside.stop();
      }
    } else {
      const hashed = hashingSource(source);
      result = await runEtl(hashed.source, options, files, (p) => log.progress(`etl: ${p.pass} pass, rows`, p.rows));
      fingerprint = hashed.sha256;
    }
  } else {
    if (outputTable !== undefined && !["duckdb", "clickhouse"].includes(inputKind(config.input).kind)) {
      throw new UsageError("--output-table writes back to the input's database: give a duckdb:FILE?table=NAME or clickhouse://...?table=NAME input");
    }
    // The engine's work tables are the size of the input: in a file beside the outputs, removed after.
    const { engine, input, table, close } = await openEngineInput(config, dirname(paths.processed), "etl");
    try {
      log.info(`etl: ${shownInput(config.input)} in ${engine.description.replace(/\(.*\.pipe-etl-\d+\.duckdb\)/, "(a work file)")}`);
      const outputs: EngineOutputs = { ...files };
      if (outputTable !== undefined) {
        outputs.processedTable = table(outputTable);
        outputs.rejectedTable = table(`${outputTable}_rejected`);
      }
      if (input) {
        result = await runEtlInEngine(engine, input, options, outputs);
        const sha = await inputSha256(config.input);
        fingerprint = () => sha;
      } else {
        const hashed = hashingSource(openSource(config.input, config.etl.s3Endpoint ? { s3Endpoint: config.etl.s3Endpoint } : {}));
        result = await runCsvEtlInEngine(engine, hashed.source, options, outputs);
        fingerprint = hashed.sha256;
      }
      if (outputTable !== undefined) log.info(`etl: processed rows written to table ${outputTable}, rejected ones to ${outputTable}_rejected`);
    } finally {
      await close();
    }
  }
  const { schema, report } = result;
  await writeFileAtomic(paths.schema, json(schema));
  await writeFileAtomic(paths.etlReport, json({ ...report, input_sha256: fingerprint() }));
  for (const w of report.warnings) log.warn(w);
  const rules = Object.entries(report.rejected_by_rule).map(([r, n]) => `${r} ${n}`);
  log.info(
    `etl: ${report.rows_in} rows read, ${report.rows_out} kept, ${report.rows_rejected} rejected${rules.length ? ` (${rules.join(", ")})` : ""}; ` +
      `${report.columns_out} of ${report.columns_in} columns kept${report.dropped_columns.length ? ` (dropped ${droppedList(report.dropped_columns.map((d) => d.name))})` : ""}`,
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

/**
 * The path of a local input that is a regular file of at least ASIDE_BYTES (given as a path or a file://
 * URL); undefined for a URL of a server, a smaller file (hashed as read: a thread costs more than its
 * hash), and anything that is not a regular file (a pipe must not be read twice).
 */
function largeLocalFile(input: string): string | undefined {
  const path = input.startsWith("file://") ? new URL(input).pathname : /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? undefined : input;
  if (path === undefined) return undefined;
  try {
    const s = statSync(path);
    return s.isFile() && s.size >= ASIDE_BYTES ? path : undefined;
  } catch {
    return undefined;
  }
}

/** From this size a local input is hashed on another thread (see hashFileAside). */
const ASIDE_BYTES = 8 * 1024 * 1024;

/** Dropped columns named in the log line at most; etl_report.json gives each with its reason. */
const NAMED_DROPS = 12;

/** The dropped columns for one log line: a wide survey drops a hundred, which would fill the screen. */
function droppedList(names: readonly string[]): string {
  if (names.length <= NAMED_DROPS) return names.join(", ");
  return `${names.slice(0, NAMED_DROPS).join(", ")} and ${names.length - NAMED_DROPS} more; etl_report.json gives each with its reason`;
}
