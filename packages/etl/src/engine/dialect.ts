/**
 * What differs between the SQL of the engines pipe pushes work to: quoting, text functions, regular
 * expressions, casts. The ETL rules and the profile are written once against this interface (see
 * sql-values.ts and each rule's `sql`); an engine supplies its dialect.
 */
export interface SqlDialect {
  readonly name: "duckdb" | "clickhouse";
  /** A quoted identifier. */
  ident(name: string): string;
  /** A string literal. */
  text(value: string): string;
  /** A DOUBLE literal that reads back as exactly `value`. */
  double(value: number): string;
  /** `expr` without leading and trailing white space, as JavaScript's `String.prototype.trim` removes it. */
  trim(expr: string): string;
  /** Whether the whole of `expr` matches the RE2 `pattern` (`caseless`: ignoring case). */
  fullMatch(expr: string, pattern: string, caseless?: boolean): string;
  /** Whether `expr` is one of the text literals `values` (at least one). */
  inList(expr: string, values: readonly string[]): string;
  /** Whether some part of `expr` matches the RE2 `pattern`. */
  matches(expr: string, pattern: string): string;
  /** `expr` with every `from` replaced by `to` (plain text, not patterns). */
  replace(expr: string, from: string, to: string): string;
  /** The first capture group of `pattern` in `expr` as text ("" when it does not match). */
  extract(expr: string, pattern: string, group: number): string;
  /** `expr` as a DOUBLE, NULL when it is not a number (never an error). */
  toDouble(expr: string): string;
  /** Whether a DOUBLE expression is finite (false for NULL). */
  isFinite(expr: string): string;
  /** Text concatenation. */
  concat(parts: readonly string[]): string;
  /** A number as text, as JavaScript's `String(n)` writes it (for integers: without a decimal point). */
  integerText(expr: string): string;
  /** Every row of the query `left` with the columns of the row of `right` that has the same `key` (right has one row per key; NULLs where none). */
  joinUsing(left: string, right: string, key: string): string;
  /** A 64-bit hash of several text expressions together (rows with the same values, the same hash). */
  rowHash(exprs: readonly string[]): string;
  /** A text of digits as a 64-bit integer, 0 for "" (never an error). */
  integerOrZero(expr: string): string;
  /** `length` characters of `expr` from the 1-based `start`. */
  substring(expr: string, start: number, length: number): string;
  /** `CREATE TABLE name AS select`, replacing a table of that name (name as a statement writes it). */
  replaceTable(name: string, select: string): string[];
  /**
   * `replaceTable` for a run's own intermediate rows, which it drops at its end: where the engine has
   * them, a temporary table — DuckDB compresses a table of its database file as it writes it, which took
   * more than half of the ETL's time; a temporary one is kept as it is, in memory, spilled to the temp
   * directory past `memoryLimit` (`pipe etl` of a 1 M-row DuckDB table under a 512MB limit: 34–36 → 23–26 s, the same peak RSS).
   */
  replaceWorkTable(name: string, select: string): string[];
  /** Text lower / upper case. */
  lower(expr: string): string;
  upper(expr: string): string;
  /** Text length in characters. */
  length(expr: string): string;
  /** Rows where a boolean holds, as an aggregate. */
  countIf(condition: string): string;
  /** The value of `value` on the row with the least `key` among those where `condition` holds. */
  argMinIf(value: string, key: string, condition: string): string;
  /** The least / greatest of `expr` where `condition` holds. */
  minIf(expr: string, condition: string): string;
  maxIf(expr: string, condition: string): string;
  /** Integer division rounding down (of non-negative integers). */
  intDiv(a: string, b: string): string;
  /** The 64-bit integer type's name, the text type's name. */
  readonly bigint: string;
  readonly varchar: string;
}

/** The characters JavaScript's `trim` removes (ECMAScript WhiteSpace and LineTerminator). */
export const JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

const OTHER_WHITESPACE = JS_WHITESPACE.replace(" ", "");
/** A value whose ends, past its spaces, hold white space other than spaces. */
const OTHER_WHITESPACE_AT_ENDS = `^ *[${OTHER_WHITESPACE}]|[${OTHER_WHITESPACE}] *$`;

/** DuckDB (embedded; also reads CSV and Parquet files and its own database files). */
export const duckdbDialect: SqlDialect = {
  name: "duckdb",
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  // DuckDB's standard strings take no backslash escapes: only the quote is doubled.
  text: (value) => `'${value.replaceAll("'", "''")}'`,
  double: (value) => `CAST('${String(value)}' AS DOUBLE)`,
  // trim() with a set of characters is many times slower than the plain one (spaces only): the set is
  // used only where, spaces aside, a value starts or ends with other white space.
  trim: (expr) => `CASE WHEN regexp_matches(${expr}, '${OTHER_WHITESPACE_AT_ENDS}') THEN trim(${expr}, '${JS_WHITESPACE}') ELSE trim(${expr}) END`,
  fullMatch: (expr, pattern, caseless) => `regexp_full_match(${expr}, '${pattern.replaceAll("'", "''")}'${caseless ? ", 'i'" : ""})`,
  // Not IN (...): DuckDB rewrites a list of more than a few values into a join, one per column.
  inList: (expr, values) => `list_contains([${values.join(", ")}], ${expr})`,
  matches: (expr, pattern) => `regexp_matches(${expr}, '${pattern.replaceAll("'", "''")}')`,
  replace: (expr, from, to) => `replace(${expr}, ${from}, ${to})`,
  extract: (expr, pattern, group) => `regexp_extract(${expr}, '${pattern.replaceAll("'", "''")}', ${group})`,
  toDouble: (expr) => `TRY_CAST(${expr} AS DOUBLE)`,
  isFinite: (expr) => `coalesce(isfinite(${expr}), 1 = 0)`,
  concat: (parts) => `concat(${parts.join(", ")})`,
  integerText: (expr) => `CAST(${expr} AS VARCHAR)`,
  joinUsing: (left, right, key) => `SELECT * FROM (${left}) l LEFT JOIN (${right}) r USING (${key})`,
  rowHash: (exprs) => `hash(${exprs.join(", ")})`,
  integerOrZero: (expr) => `coalesce(TRY_CAST(${expr} AS BIGINT), 0)`,
  substring: (expr, start, length) => `substring(${expr}, ${start}, ${length})`,
  replaceTable: (name, select) => [`CREATE OR REPLACE TABLE ${name} AS ${select}`],
  replaceWorkTable: (name, select) => [`CREATE OR REPLACE TEMP TABLE ${name} AS ${select}`],
  lower: (expr) => `lower(${expr})`,
  upper: (expr) => `upper(${expr})`,
  length: (expr) => `length(${expr})`,
  countIf: (condition) => `count(*) FILTER (WHERE ${condition})`,
  argMinIf: (value, key, condition) => `arg_min(${value}, ${key}) FILTER (WHERE ${condition})`,
  minIf: (expr, condition) => `min(${expr}) FILTER (WHERE ${condition})`,
  maxIf: (expr, condition) => `max(${expr}) FILTER (WHERE ${condition})`,
  intDiv: (a, b) => `((${a}) // (${b}))`,
  bigint: "BIGINT",
  varchar: "VARCHAR",
};
