import type { SqlDialect } from "./dialect.js";

// The SQL twins of internal/values.ts: the same grammar for numbers, booleans and dates, so a value
// the native ETL reads as a number is one in the engine too. `v` is a trimmed text expression.

const NUMBER = "[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?";
const INTEGER = "[-+]?[0-9]+";
// Captures: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second, 7 fraction, 8 the offset (Z or ±hh[:]mm).
const DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?";
// Captures of the offset: 1 sign, 2 hours, 3 minutes.
const OFFSET = "^([+-])([0-9]{2}):?([0-9]{2})$";

/** Whether `v` is a finite number (numberKind ≠ 0 and Number(v) finite, as parseNumber). */
export function isNumberSql(d: SqlDialect, v: string): string {
  return `(${d.fullMatch(v, NUMBER)} AND ${d.isFinite(d.toDouble(v))})`;
}

/** Whether `v` is a finite number written as an integer (numberKind 2). */
export function isIntegerTextSql(d: SqlDialect, v: string): string {
  return `(${d.fullMatch(v, INTEGER)} AND ${d.isFinite(d.toDouble(v))})`;
}

/** `v` as a DOUBLE (for a value that {@link isNumberSql}). */
export function numberSql(d: SqlDialect, v: string): string {
  return d.toDouble(v);
}

/** Whether `v` is true/false in any case. */
export function isBooleanSql(d: SqlDialect, v: string): string {
  return d.fullMatch(v, "(true|false)", true);
}

/**
 * `v` in milliseconds since 1970 as `Date.parse` reads the ISO dates isDateText accepts, NULL where it
 * gives NaN: days 1–31 in any month (Feb 30 runs into March, as in JavaScript), 24:00 as the next day,
 * the first three digits of a fraction. A time without an offset is read as UTC (JavaScript reads it in
 * the process's time zone: the two agree where that is UTC, as on servers and CI).
 */
export function dateMsSql(d: SqlDialect, v: string): string {
  const g = (k: number) => d.extract(v, `^${DATE}$`, k);
  const n = (k: number, fallback = "0") => `CAST(coalesce(nullif(${g(k)}, ''), '${fallback}') AS ${d.bigint})`;
  const [y, mo, day, h, mi, s] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const ms = `CAST(substr(concat(${g(7)}, '000'), 1, 3) AS ${d.bigint})`;
  const o = (k: number) => d.extract(g(8), OFFSET, k);
  const on = (k: number) => `CAST(coalesce(nullif(${o(k)}, ''), '0') AS ${d.bigint})`;
  const sign = `CASE WHEN ${o(1)} = '-' THEN -1 ELSE 1 END`;
  const offset = `(${sign} * (${on(2)} * 60 + ${on(3)}) * 60000)`;
  return `CASE WHEN ${isDateSql(d, v)} THEN ${d.epochMs(y, mo, day, h, mi, s)} + ${ms} - ${offset} END`;
}

// The dates Date.parse reads, in one expression: the grammar above with each field in its range.
const TIME = "(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?|24:00(:00([.]0+)?)?)";
// V8 reads "T" times as ISO (offset hours to 23) and " " times with its legacy parser (any two-digit
// offset hours, or four digits without a colon).
const VALID_DATE = `[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T${TIME}(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?| ${TIME}(Z|[+-]([0-9]{2}:[0-5][0-9]|[0-9]{4}))?)?`;

/** Whether `v` is a date isDateText accepts (one regular expression: the profile asks it of every word). */
export function isDateSql(d: SqlDialect, v: string): string {
  return d.fullMatch(v, VALID_DATE);
}
