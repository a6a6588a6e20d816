import { randomBytes } from "node:crypto";
import { headerNameNotes } from "../csv/open.js";
import type { ByteSource } from "../extract/source.js";
import type { EtlOptions } from "../options.js";
import { resolveOptions } from "../options.js";
import type { EtlResult } from "../run-etl.js";
import { checkNamedColumns, firstReadOptions } from "../schema/infer-schema.js";
import type { Engine } from "./engine.js";
import { loadCsv } from "./load-csv.js";
import { type EngineOutputs, runEtlInEngine } from "./run-etl-engine.js";

const INPUT_TABLE = `pipe_etl_input_${process.pid}_${randomBytes(3).toString("hex")}`;

/**
 * The ETL of a CSV in an engine: pipe reads the file (its own detection, lines and set-aside rows,
 * see loadCsv) into a table of the engine, then {@link runEtlInEngine} does the rest there. The input
 * table is dropped afterwards; the outputs stay where `outputs` says.
 */
export async function runCsvEtlInEngine(engine: Engine, source: ByteSource, options: EtlOptions, outputs: EngineOutputs): Promise<EtlResult> {
  const opts = resolveOptions(options);
  const loaded = await loadCsv(engine, source, INPUT_TABLE, firstReadOptions(opts), (columns, opened) => checkNamedColumns(columns, opts, source.name, opened));
  const d = engine.dialect;
  try {
    const result = await runEtlInEngine(
      engine,
      {
        relation: d.ident(loaded.table),
        name: source.name,
        line: "__line",
        ignore: ["__line"],
        setAside: { table: loaded.setAside, rows: loaded.setAsideRows, ragged: loaded.ragged },
        layout: { delimiter: loaded.delimiter, hasHeader: loaded.hasHeader, encoding: loaded.encoding, bytes: (await source.size()) ?? null },
      },
      options,
      outputs,
    );
    // First, as the native run has them.
    result.report.warnings.unshift(...headerNameNotes(loaded.headerFields, loaded.columns));
    if (loaded.numberForms) result.report = { ...result.report, number_forms: loaded.numberForms };
    return result;
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${d.ident(loaded.table)}`);
    await engine.run(`DROP TABLE IF EXISTS ${d.ident(loaded.setAside)}`);
  }
}
