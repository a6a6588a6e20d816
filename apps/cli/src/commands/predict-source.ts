import { dirname } from "node:path";
import { type CsvByteBatch, EngineError, type TableAppender, TextRowBatcher } from "@pipe/etl";
import type { PipeConfig } from "../config.js";
import { openEngineInput } from "../engine-input.js";

/** A row to score: its cells, and its line in the input (as the ETL numbers lines). */
export interface SourceRow {
  fields: string[];
  line: number;
}

/** Rows to score, from a CSV or an engine's table. */
export interface RowSource {
  columns: string[];
  records: AsyncIterable<SourceRow>;
  /** The same rows as `records`, by the batches they arrive in (the quicker way through millions of rows). */
  batches: AsyncIterable<SourceRow[]>;
  /**
   * The rows as bytes instead (read one of the three): batches of at least `rows` rows, and the text
   * of a column's value by its id in them. A CSV's bytes as read; an engine's rows collected by
   * TextRowBatcher. A batch handed to `release` once done with lends its arrays to a later one.
   */
  bytes: {
    batches: (rows: number) => AsyncIterable<CsvByteBatch>;
    valueText: (column: number, id: number) => string;
    release: (batch: CsvByteBatch) => void;
  };
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
  const cells = columns.map((c) => `coalesce(CAST(${d.ident(c)} AS ${d.varchar}), '')`);
  const packed = d.name === "duckdb" && columns.length > 1;
  const select = packed ? packedRowsSql(input.line, cells, input.relation) : `SELECT ${input.line} AS pipe_line, ${cells.join(", ")} FROM ${input.relation}`;
  const work = `pipe_scores_${process.pid}`;
  // DuckDB reads a table on several threads; kept in the table's order, the scored rows follow the input's.
  if (d.name === "duckdb") await engine.run("SET preserve_insertion_order = true");
  // DuckDB ends a result whose statement failed midway as if it were complete: the rows are counted first.
  const [counted] = await engine.rows(`SELECT count(*) AS n FROM ${input.relation}`);
  const expected = Number(counted?.n ?? 0);
  const inputName = input.name;
  const cellsOf = (row: readonly unknown[]) => (packed ? unpackRow(row[1], row[2]) : row.slice(1).map((v) => (v === null ? "" : String(v))));
  const stopped = (seen: number) =>
    new EngineError(
      `${inputName}: the engine sent ${seen} of its ${expected} rows and stopped (a statement that fails midway can end as if it were complete); run again, giving the engine more memory if it is short of it`,
    );
  async function* batches() {
    let seen = 0;
    for await (const batch of engine.stream(select)) {
      seen += batch.length;
      yield batch.map((row): SourceRow => ({ line: Number(row[0]), fields: cellsOf(row) }));
    }
    if (seen !== expected) throw stopped(seen);
  }
  // The rows as bytes (see TextRowBatcher): scored as a CSV read as bytes is, without a string per cell kept.
  const collector = new TextRowBatcher(columns.length);
  async function* byteBatches(size: number) {
    let seen = 0;
    for await (const batch of engine.stream(select)) {
      seen += batch.length;
      for (const row of batch) {
        const line = Number(row[0]);
        if (packed && typeof row[1] === "string") collector.addJoined(line, row[1], SEPARATOR);
        else collector.add(line, cellsOf(row));
      }
      if (collector.size >= size) yield collector.take();
    }
    if (collector.size > 0) yield collector.take();
    if (seen !== expected) throw stopped(seen);
  }
  const stream = batches();
  return {
    columns,
    batches: stream,
    records: rowsOf(stream),
    bytes: { batches: byteBatches, valueText: (column, id) => collector.valueText(column, id), release: (batch) => collector.release(batch) },
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

/** The unit separator (U+001F): what joins a row's cells into one text (see packedRowsSql). */
const SEPARATOR = "\u001f";

/**
 * DuckDB hands out each text cell through a native call (about 0.4 µs each: most of the main thread's
 * time when 1 M rows of 21 columns are scored), so each row comes as one text, its cells joined by the
 * unit separator, and is split here. A row with that character inside a cell (which would split wrong)
 * comes with its cells as a JSON array instead, in a second column NULL for every other row.
 */
function packedRowsSql(line: string, cells: readonly string[], relation: string): string {
  const names = cells.map((_, j) => `pipe_c${j}`);
  const joined = `concat_ws(chr(31), ${names.join(", ")})`;
  const whole = `length(pipe_row) - length(replace(pipe_row, chr(31), '')) = ${cells.length - 1}`;
  return `SELECT pipe_line, CASE WHEN ${whole} THEN pipe_row END AS pipe_row, CASE WHEN ${whole} THEN NULL ELSE to_json([${names.join(", ")}]) END AS pipe_cells
    FROM (SELECT pipe_line, ${names.join(", ")}, ${joined} AS pipe_row
      FROM (SELECT ${line} AS pipe_line, ${cells.map((c, j) => `${c} AS ${names[j]}`).join(", ")} FROM ${relation}) AS pipe_cells_q) AS pipe_packed_q`;
}

/** A row's cells from packedRowsSql's two columns. */
function unpackRow(text: unknown, json: unknown): string[] {
  return typeof text === "string" ? text.split(SEPARATOR) : (JSON.parse(String(json)) as string[]);
}

/** The rows of a stream of batches, one by one. */
export async function* rowsOf(batches: AsyncIterable<SourceRow[]>): AsyncGenerator<SourceRow> {
  for await (const batch of batches) yield* batch;
}

/**
 * Reads batches of at least `size` rows (the last one smaller) from a stream of batches of any size:
 * `next()` gives undefined once the stream is done.
 */
export function batchesOf(batches: AsyncIterable<SourceRow[]>, size: number): { next: () => Promise<SourceRow[] | undefined> } {
  const it = batches[Symbol.asyncIterator]();
  let done = false;
  return {
    next: async () => {
      const rows: SourceRow[] = [];
      while (!done && rows.length < size) {
        const r = await it.next();
        if (r.done) done = true;
        else for (const row of r.value) rows.push(row);
      }
      return rows.length > 0 ? rows : undefined;
    },
  };
}
