import type { SqlDialect } from "./dialect.js";

/** A SQL value as pipe reads it back: text, a number (64-bit integers too, as doubles), a boolean or null. */
export type SqlValue = string | number | boolean | null;

/**
 * A SQL engine pipe pushes work to (DuckDB embedded, a ClickHouse server): statements, small results
 * read whole (aggregates), large ones streamed in batches, and rows appended to a table of text
 * columns. One interface, so the ETL, the contract suite and the CLI are written once.
 */
export interface Engine {
  readonly dialect: SqlDialect;
  /** What messages call it: `duckdb (:memory:)`, `clickhouse (http://127.0.0.1:8123)`. */
  readonly description: string;
  /** Runs a statement that returns no rows. */
  run(sql: string): Promise<void>;
  /** Every row of a query, as objects keyed by column name (for small results). */
  rows(sql: string): Promise<Record<string, SqlValue>[]>;
  /** The rows of a query in batches of arrays, in the query's column order (for large results). */
  stream(sql: string): AsyncIterable<SqlValue[][]>;
  /** Creates `table` (replacing it) with these text columns, then appends rows to it. */
  createTextTable(table: string, columns: readonly { name: string; type: "text" | "integer" }[]): Promise<TableAppender>;
  /**
   * Creates `table` (replacing it) from a CSV file pipe wrote: comma-separated, RFC 4180 quotes, UTF-8,
   * no header, the columns in this order. The engine reads it with its own (parallel) reader.
   */
  loadCsvFile(table: string, columns: readonly { name: string; type: "text" | "integer" }[], path: string): Promise<void>;
  /**
   * Writes the first column of every row of a query, as it is and one line each, in the query's order,
   * into a new file at `path` — after a first line holding the column's name when `header` — and returns
   * the rows written. The engine's own writer, where the engine runs on this machine (DuckDB): the rows
   * never cross into pipe. Absent elsewhere: pipe streams them.
   */
  writeLines?(sql: string, path: string, options?: { header?: boolean }): Promise<number>;
  /** The column names of a relation (a table, a view, or a table function such as `read_parquet(...)`). */
  columnsOf(relation: string): Promise<string[]>;
  /** Bytes of results read from the engine over the network so far (0 for an embedded one). */
  bytesReceived(): number;
  close(): Promise<void>;
}

/** Rows appended to a table, flushed on `close`. */
export interface TableAppender {
  append(row: readonly (string | number)[]): void;
  /** Appends what is buffered (call now and then on long inputs). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
