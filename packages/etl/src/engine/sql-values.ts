import type { SqlDialect } from "./dialect.js";

// The SQL twins of internal/values.ts: the same grammar for numbers, booleans and dates, so a value
// the native ETL reads as a number is one in the engine too. `v` is a trimmed text expression.

const NUMBER = "[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?";
const INTEGER = "[-+]?[0-9]+";
// Captures: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second, 7 fraction, 8 the offset (Z or ±hh[:]mm).
const DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?";
// Captures of the offset: 1 sign, 2 hours, 3 minutes (none in `+00`, as PostgreSQL and DuckDB write it).
const OFFSET = "^([+-])([0-9]{2})(?::?([0-9]{2}))?$";

/**
 * Milliseconds since 1970 of y-mo-d h:mi:s (integer expressions, years from 1), by integer arithmetic
 * alone (the days-from-civil count), so no engine's date functions can throw on a bad row; a day past
 * the month's end runs into the next month, as in JavaScript.
 */
function epochMsSql(d: SqlDialect, y: string, mo: string, day: string, h: string, mi: string, s: string): string {
  const year = `(${y} - CASE WHEN ${mo} <= 2 THEN 1 ELSE 0 END)`;
  const era = d.intDiv(year, "400");
  const yoe = `(${year} - ${era} * 400)`;
  const doy = `(${d.intDiv(`153 * (${mo} + CASE WHEN ${mo} > 2 THEN -3 ELSE 9 END) + 2`, "5")} + ${day} - 1)`;
  const doe = `(${yoe} * 365 + ${d.intDiv(yoe, "4")} - ${d.intDiv(yoe, "100")} + ${doy})`;
  const days = `(${era} * 146097 + ${doe} - 719468)`;
  return `(${days} * 86400000 + ${h} * 3600000 + ${mi} * 60000 + ${s} * 1000)`;
}

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
  const n = (k: number) => d.integerOrZero(g(k));
  const [y, mo, day, h, mi, s] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const ms = d.integerOrZero(d.substring(d.concat([g(7), "'000'"]), 1, 3));
  const o = (k: number) => d.extract(g(8), OFFSET, k);
  const on = (k: number) => d.integerOrZero(o(k));
  const sign = `CASE WHEN ${o(1)} = '-' THEN -1 ELSE 1 END`;
  const offset = `(${sign} * (${on(2)} * 60 + ${on(3)}) * 60000)`;
  return `CASE WHEN ${isDateSql(d, v)} THEN ${epochMsSql(d, y, mo, day, h, mi, s)} + ${ms} - ${offset} END`;
}

// The dates Date.parse reads, in one expression: the grammar above with each field in its range.
const TIME = "(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?|24:00(:00([.]0+)?)?)";
// V8 reads "T" times as ISO (offset hours to 23) and " " times with its legacy parser (any two-digit
// offset hours, or four digits without a colon, or hours alone).
const VALID_DATE = `[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T${TIME}(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?| ${TIME}(Z|[+-]([0-9]{2}:[0-5][0-9]|[0-9]{4}|[0-9]{2}))?)?`;

/** Whether `v` is a date isDateText accepts (one regular expression: the profile asks it of every word). */
export function isDateSql(d: SqlDialect, v: string): string {
  return d.fullMatch(v, VALID_DATE);
}
