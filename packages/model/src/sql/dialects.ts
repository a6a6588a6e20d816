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
  /** Statements that create table `name` (replacing one) from a SELECT. */
  createTable(name: string, select: string): string[];
  /** A uniform number in [0, 1) from a hash of the expressions (the same values, the same number). */
  unitHash(exprs: readonly string[]): string;
  /** A 64-bit hash of a row's values (NULL and "" alike): the same row, the same hash, in whatever order the engine reads it. */
  rowHash(exprs: readonly string[]): string;
  /** How many of the ascending numbers `edges` are below `expr` (a bin, as binOf computes it). */
  countBelow(edges: readonly string[], expr: string): string;
  /** The median of a numeric column over the rows where `condition` holds (the mean of the middle two for an even count; NULLs ignored). */
  median(expr: string, condition: string): string;
  /** Quantiles (fractions in [0, 1]) of a numeric expression, as one array-valued aggregate. */
  /**
   * Quantiles (fractions in [0, 1]) of a numeric expression that has `count` non-NULL values, as one
   * array-valued aggregate: the values at 1-based ranks max(1, ⌈count·q⌉) of the sorted values (DuckDB's
   * quantile_disc; ClickHouse's quantilesExact takes rank ⌊count·q⌋ + 1).
   */
  quantiles(expr: string, fractions: readonly number[], count: number): string;
  /** Distinct values of an expression, as an aggregate. */
  countDistinct(expr: string): string;
  /** A subquery of one BIGINT column `tree` holding from, from + 1, …, to − 1. */
  integers(from: number, to: number): string;
  /** An expression as the engine's 64-bit integer / its 8-bit unsigned integer / its 64-bit float. */
  int64(expr: string): string;
  uint8(expr: string): string;
  float64(expr: string): string;
  /** The join that keeps the left rows with a match in the (small, one row per key) right table. */
  readonly innerJoin: string;
  /** The join that pairs each left row with every matching right row. */
  readonly innerJoinAll: string;
  /** The element at a 1-based index of an array. */
  element(array: string, index: string): string;
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
  createTable: (name, select) => [`CREATE OR REPLACE TABLE ${name} AS ${select}`],
  unitHash: (exprs) => `(hash(${exprs.join(", ")}) / 18446744073709551616.0)`,
  rowHash: (exprs) => `hash(${exprs.map((e) => `coalesce(CAST(${e} AS VARCHAR), '')`).join(", ")})`,
  // A binary search as nested CASEs: DuckDB evaluates a branch only for the rows that take it, so a value
  // costs about log2(edges) comparisons (a filter over the list compared it with every edge: 255 a value).
  countBelow: (edges, expr) => searchBelow(edges, expr, 0, edges.length),
  // median() interpolates as lo + (hi − lo) / 2, which can differ from (lo + hi) / 2 in the last digit.
  median: (expr, condition) => {
    const sorted = `list_sort(list(${expr}) FILTER (WHERE ${condition} AND ${expr} IS NOT NULL))`;
    return `((${sorted}[(len(${sorted}) + 1) // 2] + ${sorted}[len(${sorted}) // 2 + 1]) / 2)`;
  },
  // One sort, then the ranks picked: quantile_disc with 256 fractions selects each one apart (1 s against
  // 0.1 s for 700,000 values), with the same ranks.
  quantiles: (expr, fractions, count) =>
    `list_select(list_sort(list(${expr}) FILTER (WHERE ${expr} IS NOT NULL)), [${fractions.map((q) => Math.max(1, Math.ceil(count * q))).join(", ")}])`,
  countDistinct: (expr) => `count(DISTINCT ${expr})`,
  integers: (from, to) => `(SELECT CAST(range AS BIGINT) AS tree FROM range(${from}, ${to}))`,
  int64: (expr) => `CAST(${expr} AS BIGINT)`,
  uint8: (expr) => `CAST(${expr} AS UTINYINT)`,
  float64: (expr) => `CAST(${expr} AS DOUBLE)`,
  innerJoin: "INNER JOIN",
  innerJoinAll: "INNER JOIN",
  element: (array, index) => `${array}[${index}]`,
};

/** How many of the sorted `edges` in [lo, hi) are below `expr` (NULL: none, as `e < NULL` is never true). */
function searchBelow(edges: readonly string[], expr: string, lo: number, hi: number): string {
  if (lo >= hi) return String(lo);
  const mid = (lo + hi) >> 1;
  return `CASE WHEN ${edges[mid]} < ${expr} THEN ${searchBelow(edges, expr, mid + 1, hi)} ELSE ${searchBelow(edges, expr, lo, mid)} END`;
}

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
  createTable: (name, select) => [`DROP TABLE IF EXISTS ${name}`, `CREATE TABLE ${name} ENGINE = Log AS ${select}`],
  unitHash: (exprs) => `(cityHash64(${exprs.join(", ")}) / 18446744073709551616.0)`,
  rowHash: (exprs) => `cityHash64(${exprs.map((e) => `ifNull(toString(${e}), '')`).join(", ")})`,
  // The value rides in a second array, not in the lambda: an old server resolves only one captured column per query.
  countBelow: (edges, expr) =>
    edges.length === 0 ? "0" : `arrayCount((e, x) -> e < x, [${edges.join(", ")}], arrayResize([${expr}], ${edges.length}, ${expr}))`,
  // quantileExact's median is one of the middle values: the sorted values' middle two are averaged instead.
  median: (expr, condition) => {
    const sorted = `arraySort(groupArrayIf(${expr}, ${condition} AND isNotNull(${expr})))`;
    return `((arrayElement(${sorted}, toUInt64(intDiv(length(${sorted}) + 1, 2))) + arrayElement(${sorted}, toUInt64(intDiv(length(${sorted}), 2) + 1))) / 2)`;
  },
  quantiles: (expr, fractions, _count) => `quantilesExact(${fractions.join(", ")})(${expr})`,
  countDistinct: (expr) => `uniqExact(${expr})`,
  integers: (from, to) => `(SELECT toInt64(number + ${from}) AS tree FROM system.numbers LIMIT ${to - from})`,
  int64: (expr) => `toInt64(${expr})`,
  uint8: (expr) => `toUInt8(${expr})`,
  float64: (expr) => `toFloat64(${expr})`,
  innerJoin: "ANY INNER JOIN",
  innerJoinAll: "ALL INNER JOIN",
  element: (array, index) => `arrayElement(${array}, ${index})`,
};

export const MODEL_SQL_DIALECTS: Readonly<Record<ModelSqlDialect["name"], ModelSqlDialect>> = { duckdb, clickhouse };
