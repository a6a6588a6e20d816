import { dirname } from "node:path";
import type { TableAppender } from "@pipe/etl";
import type { PipeConfig } from "../config.js";
import { openEngineInput } from "../engine-input.js";

/** Rows to score, from a CSV or an engine's table. */
export interface RowSource {
  columns: string[];
  records: AsyncIterable<{ fields: string[]; line: number }>;
  /** A table of the engine the scores are appended to (engine inputs only). */
  scoresTable?: () => Promise<TableAppender>;
  /** Moves the appended scores to `name` in the input's database, replacing a table of that name. */
  publishScores?: (name: string) => Promise<void>;
  close(): Promise<void>;
}

const SCORE_COLUMNS = [
  { name: "source_line", type: "integer" as const },
  { name: "probability", type: "text" as const },
  { name: "prediction", type: "text" as const },
  { name: "label", type: "text" as const },
  { name: "warnings", type: "text" as const },
  { name: "error", type: "text" as const },
];

/**
 * The rows of a Parquet file or a table, streamed from the engine in its batches (pipe holds one
 * batch at a time), numbered as the ETL numbers them. Scores written back go first to a work table,
 * then to the named one, with the probability as a number and the prediction as 0/1.
 */
export async function openEngineRows(config: PipeConfig, output: string): Promise<RowSource> {
  const { engine, input, table, close: cleanup } = await openEngineInput(config, dirname(output), "predict");
  if (!input) {
    await cleanup();
    throw new Error("openEngineRows reads tables; a CSV is read directly");
  }
  const d = engine.dialect;
  const ignore = new Set(input.ignore ?? []);
  const columns = (await engine.columnsOf(input.relation)).filter((c) => !ignore.has(c));
  const select = `SELECT ${input.line} AS pipe_line, ${columns.map((c) => `coalesce(CAST(${d.ident(c)} AS ${d.varchar}), '')`).join(", ")} FROM ${input.relation}`;
  const work = `pipe_scores_${process.pid}`;
  async function* records() {
    for await (const batch of engine.stream(select)) {
      for (const row of batch) yield { line: Number(row[0]), fields: row.slice(1).map((v) => (v === null ? "" : String(v))) };
    }
  }
  return {
    columns,
    records: records(),
    scoresTable: () => engine.createTextTable(work, SCORE_COLUMNS),
    publishScores: async (name) => {
      const target = table(name) as string;
      const typed = `SELECT source_line, ${d.toDouble("probability")} AS probability, CASE WHEN prediction = '' THEN NULL ELSE ${d.integerOrZero("prediction")} END AS prediction, label, warnings, error FROM ${d.ident(work)}`;
      for (const s of d.replaceTable(target, typed)) await engine.run(s);
      await engine.run(`DROP TABLE IF EXISTS ${d.ident(work)}`);
    },
    close: async () => {
      await engine.run(`DROP TABLE IF EXISTS ${d.ident(work)}`).catch(() => undefined);
      await cleanup();
    },
  };
}
