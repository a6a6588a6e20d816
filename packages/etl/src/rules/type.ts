import { z } from "zod";
import type { SqlDialect } from "../engine/dialect.js";
import { isBooleanSql, isDateSql, isNumberSql, numberSql } from "../engine/sql-values.js";
import { isBooleanText, isDateText, parseNumber } from "../internal/values.js";
import { rule, type SqlCheck } from "./rule.js";

export const COLUMN_TYPES = ["integer", "float", "boolean", "category", "date", "text", "identifier", "empty"] as const;

/**
 * `type`: the column's type, instead of inferring it. Every value is checked against the type (set or
 * inferred): a number column rejects words and an integer column fractions (`type_mismatch`, or the
 * cell read as missing with `onTypeMismatch: "missing"`).
 */
export const type = rule({
  key: "type",
  kind: "checks",
  description: "Force the column's type instead of inferring it",
  schema: z.enum(COLUMN_TYPES),
  rejects: "type_mismatch",
  plainNumbers: "unaffected",
  // The type check runs for every column, with or without this rule: see typeCheck.
});

/** The check every value meets: it must be of the column's type. */
export function typeCheck(columnType: string): ((v: string) => { rule: "type_mismatch"; detail: string } | undefined) | undefined {
  if (columnType === "integer" || columnType === "float") {
    return (v) => {
      const n = parseNumber(v);
      if (n === undefined) return { rule: "type_mismatch", detail: `"${v}" is not a number` };
      if (columnType === "integer" && !Number.isInteger(n)) return { rule: "type_mismatch", detail: `"${v}" is not an integer` };
      return undefined;
    };
  }
  if (columnType === "boolean") return (v) => (isBooleanText(v) ? undefined : { rule: "type_mismatch", detail: `"${v}" is not true/false` });
  if (columnType === "date") return (v) => (isDateText(v) ? undefined : { rule: "type_mismatch", detail: `"${v}" is not a date` });
  return undefined;
}

/** {@link typeCheck} in SQL: a value of another type than its column's fails, with the same detail. */
export function typeCheckSql(columnType: string, d: SqlDialect): SqlCheck | undefined {
  const quoted = (v: string, tail: string) => d.concat([d.text('"'), v, d.text(`" ${tail}`)]);
  if (columnType === "integer" || columnType === "float") {
    return (v) => {
      const notNumber = `NOT ${isNumberSql(d, v)}`;
      if (columnType === "float") return { fails: notNumber, detail: quoted(v, "is not a number") };
      const fraction = `${numberSql(d, v)} <> floor(${numberSql(d, v)})`;
      return {
        fails: `(${notNumber} OR ${fraction})`,
        detail: `CASE WHEN ${notNumber} THEN ${quoted(v, "is not a number")} ELSE ${quoted(v, "is not an integer")} END`,
      };
    };
  }
  if (columnType === "boolean") return (v) => ({ fails: `NOT ${isBooleanSql(d, v)}`, detail: quoted(v, "is not true/false") });
  if (columnType === "date") return (v) => ({ fails: `NOT ${isDateSql(d, v)}`, detail: quoted(v, "is not a date") });
  return undefined;
}
