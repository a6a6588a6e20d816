import type { DerivedLayers } from "./date-parts-sql.js";

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
  /**
   * A query of `from`'s rows (columns pipe_rid, pipe_y and v0, v1, …) with their bins: pipe_rid, pipe_y and
   * `bins`, an array holding for each column j the number of its ascending `edges[j]` below v_j (its
   * bin, as binOf computes it; a NULL value has none below it in DuckDB).
   */
  binned(from: string, edges: readonly (readonly string[])[]): string;
  /**
   * A query of the values at these 1-based ranks of the sorted non-NULL values of `expr` over `from`, as
   * rows (r: the rank, v: the value); `count` is how many non-NULL values there are (`count(expr)` over
   * `from`), and a rank past it gives no row. What medians and quantiles are read from.
   */
  valuesAtRanks(expr: string, from: string, ranks: readonly number[], count: number): string;
  /** Distinct values of an expression, as an aggregate. */
  countDistinct(expr: string): string;
  /** A subquery of one BIGINT column `tree` holding from, from + 1, …, to − 1. */
  integers(from: number, to: number): string;
  /** An expression as the engine's 64-bit integer / its 64-bit float. */
  int64(expr: string): string;
  float64(expr: string): string;
  /** The join that keeps the left rows with a match in the (small, one row per key) right table. */
  readonly innerJoin: string;
  /** The join that pairs each left row with every matching right row. */
  readonly innerJoinAll: string;
  /** The element at a 1-based index of an array. */
  element(array: string, index: string): string;
  /** Whether text `expr` matches the regular expression `pattern` (RE2, anchored by the pattern). */
  matches(expr: string, pattern: string): string;
  /** What the one group of `pattern` captures in `expr`; '' when it does not match. */
  capture(expr: string, pattern: string): string;
  /** `length` characters of `expr` from the 1-based `start`. */
  substring(expr: string, start: number, length: number): string;
  /** `expr` with every `from` replaced by `to`. */
  replace(expr: string, from: string, to: string): string;
  /** `expr` without white space at either end. */
  trim(expr: string): string;
  /** A text of digits as a 64-bit integer; 0 when empty or not one. */
  integerOf(expr: string): string;
  /**
   * `SELECT [*, ]list FROM from`, where `list` may name the columns of `layers` (each layer computed from
   * the ones before it, once a row) and `*` stands for `from`'s own columns — in DuckDB only: ClickHouse's
   * older servers have no SELECT * EXCEPT, so there `*` holds the layers' columns too.
   */
  selectDerived(star: boolean, list: string, from: string, layers: DerivedLayers): string;
}

/** `from` with each layer's columns added by a subquery of its own (a layer reads the columns of those before it). */
function layered(from: string, layers: DerivedLayers): string {
  let relation = from;
  layers.forEach((layer, k) => {
    relation = `(SELECT *, ${layer.map(([name, expr]) => `${expr} AS ${name}`).join(", ")} FROM ${relation}) AS pipe_layer${k}`;
  });
  return relation;
}

const duckText = (value: string) => `'${value.replaceAll("'", "''")}'`;

const duckdb: ModelSqlDialect = {
  name: "duckdb",
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  text: duckText,
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
  binned: (from, edges) => binarySearchSql(from, edges),
  // A window over the sorted values, not an aggregate of them (list_sort(list(x)), quantile_disc): DuckDB
  // runs in pipe's process, and a sort spills to disk within its memory limit where an aggregate's list of
  // a whole column (56 MB a column of 7 M rows) does not.
  valuesAtRanks: (expr, from, ranks, _count) =>
    `SELECT pipe_r AS r, v FROM (SELECT v, row_number() OVER (ORDER BY v) AS pipe_r FROM (SELECT ${expr} AS v FROM ${from}) AS pipe_x WHERE v IS NOT NULL) AS pipe_ranked WHERE list_contains([${ranks.join(", ")}], pipe_r)`,
  countDistinct: (expr) => `count(DISTINCT ${expr})`,
  integers: (from, to) => `(SELECT CAST(range AS BIGINT) AS tree FROM range(${from}, ${to}))`,
  int64: (expr) => `CAST(${expr} AS BIGINT)`,
  float64: (expr) => `CAST(${expr} AS DOUBLE)`,
  innerJoin: "INNER JOIN",
  innerJoinAll: "INNER JOIN",
  element: (array, index) => `${array}[${index}]`,
  matches: (expr, pattern) => `regexp_matches(${expr}, ${duckText(pattern)})`,
  capture: (expr, pattern) => `regexp_extract(${expr}, ${duckText(pattern)}, 1)`,
  substring: (expr, start, length) => `substring(${expr}, ${start}, ${length})`,
  replace: (expr, from, to) => `replace(${expr}, ${duckText(from)}, ${duckText(to)})`,
  trim: (expr) => `regexp_replace(${expr}, '^\\s+|\\s+$', '', 'g')`,
  integerOf: (expr) => `coalesce(TRY_CAST(${expr} AS BIGINT), 0)`,
  // Layer on layer of subqueries, the derived columns left out of `*` by name.
  selectDerived: (star, list, from, layers) => {
    const relation = layered(from, layers);
    const names = layers.flat().map(([name]) => name);
    const all = names.length === 0 ? "*" : `* EXCLUDE (${names.join(", ")})`;
    return `SELECT ${star ? (list ? `${all}, ${list}` : all) : list} FROM ${relation}`;
  },
};

/**
 * binOf's search as SQL: the halves it steps by depend only on the number of edges, so each step is a
 * layer of the query adding, for every column at once, its half when the edge there is below the value.
 * About log2(edges) comparisons a value, and each layer's state is one number a column: a list filter
 * compared every value with all 255 edges (18 s for 700,000 rows of 32 columns), and nested CASEs, as
 * quick, held ~140 MB of intermediate vectors outside DuckDB's memory limit.
 */
function binarySearchSql(from: string, edges: readonly (readonly string[])[]): string {
  const lists = edges.map((e) => `[${e.join(", ")}]`);
  const halves = edges.map((e) => {
    const out: number[] = [];
    for (let n = e.length; n > 1; n -= n >>> 1) out.push(n >>> 1);
    return out;
  });
  const steps = Math.max(0, ...halves.map((h) => h.length));
  const values = edges.map((_, j) => `v${j}`).join(", ");
  let query = `SELECT pipe_rid, pipe_y, ${values}, ${edges.map((_, j) => `0 AS b${j}`).join(", ")} FROM ${from}`;
  for (let step = 0; step < steps; step++) {
    const moved = edges.map((_, j) => {
      const half = halves[j]?.[step];
      return half === undefined ? `b${j}` : `b${j} + ${half} * CAST(coalesce(${lists[j]}[b${j} + ${half + 1}] < v${j}, false) AS INTEGER) AS b${j}`;
    });
    query = `SELECT pipe_rid, pipe_y, ${values}, ${moved.join(", ")} FROM (${query}) AS pipe_step${step}`;
  }
  const bins = edges.map((e, j) =>
    e.length === 0 ? "CAST(0 AS UTINYINT)" : `CAST(b${j} + CAST(coalesce(${lists[j]}[b${j} + 1] < v${j}, false) AS INTEGER) AS UTINYINT)`,
  );
  return `SELECT pipe_rid, pipe_y, [${bins.join(", ")}] AS bins FROM (${query}) AS pipe_searched`;
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
  binned: (from, edges) => {
    const bins = edges.map((e, j) =>
      e.length === 0 ? "toUInt8(0)" : `toUInt8(arrayCount((e, x) -> e < x, [${e.join(", ")}], arrayResize([v${j}], ${e.length}, v${j})))`,
    );
    return `SELECT pipe_rid, pipe_y, [${bins.join(", ")}] AS bins FROM ${from}`;
  },
  // The server's memory, not pipe's: the sorted values as one array, read at the ranks, and only the
  // values read spread into rows (an ARRAY JOIN beside the sorted array copies it to every row: 256
  // copies of 700,000 values passed the server's 4 GB a query).
  // quantilesExact takes, at level q, the element at 0-based index ⌊q·n⌋ of the values (partially) sorted;
  // q = (r − ½)/n makes that index r − 1 whatever the rounding of q·n. The result row holds only the two
  // small arrays: reading a sorted groupArray at the ranks instead made ClickHouse 18 copy the whole array
  // into every rank's row of the ARRAY JOIN (256 copies of 7 M values asked for 16 GB).
  valuesAtRanks: (expr, from, ranks, count) => {
    const kept = ranks.filter((r) => r >= 1 && r <= count);
    if (kept.length === 0) return "SELECT toUInt64(0) AS r, toFloat64(0) AS v FROM system.one WHERE 0";
    const levels = kept.map((r) => String((r - 0.5) / count));
    return `SELECT r, v FROM (SELECT [${kept.join(", ")}] AS pipe_rs, quantilesExact(${levels.join(", ")})(x) AS pipe_vs
      FROM (SELECT ${expr} AS x FROM ${from}) AS pipe_x WHERE isNotNull(x)) AS pipe_read
      ARRAY JOIN pipe_rs AS r, pipe_vs AS v`;
  },
  countDistinct: (expr) => `uniqExact(${expr})`,
  integers: (from, to) => `(SELECT toInt64(number + ${from}) AS tree FROM system.numbers LIMIT ${to - from})`,
  int64: (expr) => `toInt64(${expr})`,
  float64: (expr) => `toFloat64(${expr})`,
  innerJoin: "ANY INNER JOIN",
  innerJoinAll: "ALL INNER JOIN",
  element: (array, index) => `arrayElement(${array}, ${index})`,
  matches: (expr, pattern) => `match(${expr}, ${quote(pattern)})`,
  // extract gives the pattern's first group.
  capture: (expr, pattern) => `extract(${expr}, ${quote(pattern)})`,
  substring: (expr, start, length) => `substring(${expr}, ${start}, ${length})`,
  replace: (expr, from, to) => `replaceAll(${expr}, ${quote(from)}, ${quote(to)})`,
  // No trimBoth on older servers.
  trim: (expr) => `replaceRegexpAll(${expr}, '^\\\\s+|\\\\s+$', '')`,
  integerOf: (expr) => `toInt64OrZero(${expr})`,
  // Layer on layer of subqueries, as DuckDB's (a WITH clause's aliases would be copied into every place
  // that names them); with no SELECT * EXCEPT on older servers, `*` keeps the derived columns too.
  selectDerived: (star, list, from, layers) => {
    const relation = layered(from, layers);
    return `SELECT ${star ? (list ? `*, ${list}` : "*") : list} FROM ${relation}`;
  },
};

export const MODEL_SQL_DIALECTS: Readonly<Record<ModelSqlDialect["name"], ModelSqlDialect>> = { duckdb, clickhouse };
