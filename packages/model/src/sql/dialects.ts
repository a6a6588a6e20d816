/**
 * What differs between the engines a model's SQL runs in: quoting, number literals, casts that never
 * throw, the natural logarithm, and how large a query the engine accepts by default.
 */
export interface ModelSqlDialect {
  readonly name: "duckdb" | "clickhouse";
  ident(name: string): string;
  text(value: string): string;
  /** A column (text or numeric) as a DOUBLE: NULL when empty, missing or not a number. */
  number(expr: string): string;
  /** A column (text or numeric) as text, as the model's category levels are written. */
  label(expr: string): string;
  ln(expr: string): string;
  /** Whether `expr` is one of the text literals `values` (at least one). */
  inList(expr: string, values: readonly string[]): string;
  /** The engine's default limit on a query's text, in bytes (null: none that matters). */
  readonly maxQueryBytes: number | null;
  /**
   * The most tree nodes a query holds unless told otherwise. Measured on Adult's 32,561 rows: DuckDB
   * plans and runs about 2,500 nodes a second (20,000: ~8 s); ClickHouse evaluates every branch of every
   * row (5,500 nodes: 5.5 s, 14,000: 27 s, growing with the rows).
   */
  readonly defaultMaxNodes: number;
}

const duckdb: ModelSqlDialect = {
  name: "duckdb",
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  text: (value) => `'${value.replaceAll("'", "''")}'`,
  number: (expr) => `TRY_CAST(${expr} AS DOUBLE)`,
  label: (expr) => `CAST(${expr} AS VARCHAR)`,
  // DuckDB's log() is base 10.
  ln: (expr) => `ln(${expr})`,
  // Not IN (...): DuckDB plans a list of more than a few values as a join, and a tree has hundreds of them.
  inList: (expr, values) => `list_contains([${values.join(", ")}], ${expr})`,
  maxQueryBytes: null,
  defaultMaxNodes: 20_000,
};

const quote = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

const clickhouse: ModelSqlDialect = {
  name: "clickhouse",
  ident: (name) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``,
  text: quote,
  // toString first: the same expression reads a String column and a numeric one.
  number: (expr) => `toFloat64OrNull(toString(${expr}))`,
  label: (expr) => `toString(${expr})`,
  // ClickHouse's log() is the natural logarithm (ln() is missing from older servers).
  ln: (expr) => `log(${expr})`,
  inList: (expr, values) => `${expr} IN (${values.join(", ")})`,
  maxQueryBytes: 262_144,
  defaultMaxNodes: 5_000,
};

export const MODEL_SQL_DIALECTS: Readonly<Record<ModelSqlDialect["name"], ModelSqlDialect>> = { duckdb, clickhouse };
