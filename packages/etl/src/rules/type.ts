import { z } from "zod";
import { isBooleanText, isDateText, parseNumber } from "../internal/values.js";
import { rule } from "./rule.js";

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
