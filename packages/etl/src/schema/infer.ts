import { GROUPED } from "../csv/grouped-thousands.js";
import { type ColumnFacts, isSequence } from "../internal/profile.js";
import type { ResolvedEtlOptions } from "../options.js";
import { tokensOf } from "./target-tokens.js";
import type { ColumnSchema, ColumnType } from "./types.js";

/** Share of non-missing cells that must parse as numbers for a column to be numeric. */
const NUMERIC_SHARE = 0.95;
const ID_NAME = /(^|[_\s-])id$|^id$|ID$/;
/** A name of time (year, month, day, hour...): consecutive values of such a column are a time axis, not row numbers. */
const TIME_NAME = /year|month|week|day|hour|minute|second|date|time|quarter|period|season/i;
/**
 * Rows a value holds on average from which a column of more than maxCategories words is still a category
 * (with many levels: the model pools the rare ones) rather than free text: vega-datasets' flights have 229
 * airport codes over 3 M rows, where a text column's values barely repeat (Titanic's tickets: 681 of 891).
 */
const ROWS_PER_LEVEL = 20;

/** Decides the type of a column from its profile. */
export function inferType(p: ColumnFacts, rows: number, maxCategories: number): ColumnType {
  if (p.nonMissing === 0) return "empty";
  const strayWords = p.nonMissing - p.numeric;
  if (p.numeric === p.nonMissing || (p.numeric >= NUMERIC_SHARE * p.nonMissing && p.nonNumericValues.size <= 3)) {
    if (strayWords === 0 && p.integer === p.numeric) {
      // vega-datasets' global-temp.csv: a year per row, 1880 to 2023 — its only feature, not a row number.
      if (rows >= 20 && ((isSequence(p) && !TIME_NAME.test(p.name)) || (ID_NAME.test(p.name) && p.allDistinct))) {
        return "identifier";
      }
      return "integer";
    }
    return p.integer === p.numeric ? "integer" : "float";
  }
  if (p.boolean === p.nonMissing) return "boolean";
  if (p.date === p.nonMissing) return "date";
  if (rows >= 20 && p.allDistinct && p.nonMissing >= 0.9 * rows) return "identifier";
  if (p.distinctCapped || (p.unique > maxCategories && p.nonMissing < ROWS_PER_LEVEL * p.unique)) return "text";
  return "category";
}

/**
 * Why a column of text is dropped; for a column of numbers but for values grouped by thousands (met
 * past the sample, which is where the grouped form is looked for), the flag that reads them as numbers.
 */
function textDropReason(p: ColumnFacts): string {
  const reason = `free text (${p.distinctCapped ? "over 1000" : p.unique} distinct values)`;
  const first = p.nonNumericExamples[0];
  if (p.numeric < NUMERIC_SHARE * p.nonMissing || !first || !GROUPED.test(first.value)) return reason;
  return `${reason}: numbers but for ${p.nonMissing - p.numeric} such as "${first.value.trim()}" (line ${first.line}), their thousands grouped; --thousands , reads them all as numbers`;
}

/**
 * For a column dropped as mostly empty whose missing cells are mostly one word, a default missing token
 * (pandas' too): in many files the word is a value — House Prices writes "NA" for no alley, no pool, no
 * fence; a continent column "NA" for North America. Says so, with the fill that keeps it as a category.
 */
function tokenNote(p: ColumnFacts): string {
  const tokens = tokensOf(p);
  const [top] = tokens;
  if (!top || top[1] * 2 < p.missing) return "";
  const [token, n] = top;
  const blanks = p.missing - tokens.reduce((sum, [, count]) => sum + count, 0);
  const rule = JSON.stringify({ fill: token }).replaceAll("'", "'\\''");
  const also = blanks === 1 ? " (its blank cell takes it too)" : blanks > 1 ? ` (its ${blanks} blank cells take it too)` : "";
  return `: ${n} of its cells are "${token}", a missing token — if "${token}" is a value here (none, not applicable), keep it as a category with --set 'etl.rules.${p.name.replaceAll("'", "'\\''")}=${rule}'${also}`;
}

/** The run's warnings for columns dropped as mostly empty by a missing token that may be a value (see tokenNote). */
export function tokenDropWarnings(planned: readonly ColumnSchema[], facts: readonly ColumnFacts[]): string[] {
  return planned.flatMap((c, j) => {
    const note = tokenNote(facts[j] as ColumnFacts);
    return note !== "" && c.dropReason?.endsWith(note) ? [`${c.name} is dropped as ${c.dropReason}`] : [];
  });
}

/** Builds the column schema: types, roles and the reason for every dropped column. */
export function buildColumnSchema(profile: ColumnFacts, rows: number, options: ResolvedEtlOptions): ColumnSchema {
  const rules = options.rules[profile.name];
  const type = rules?.type ?? inferType(profile, rows, options.maxCategories);
  const isTarget = profile.name === options.target;
  let dropReason: string | undefined;
  if (!isTarget) {
    if (rules?.drop) dropReason = "listed in the config";
    else if (type === "empty") dropReason = "all values missing";
    else if (options.dropIdentifiers && type === "identifier") dropReason = "identifier-like (one distinct value per row)";
    else if (rows > 0 && profile.missing / rows > options.maxMissingShare)
      dropReason = `mostly empty (${((100 * profile.missing) / rows).toFixed(1)}% missing)${tokenNote(profile)}`;
    else if (type === "text") dropReason = textDropReason(profile);
    else if (options.dropConstant && profile.unique <= 1 && !profile.distinctCapped) dropReason = "constant (one value)";
  }
  const numeric = type === "integer" || type === "float";
  const schema: ColumnSchema = {
    name: profile.name,
    type,
    role: isTarget ? "target" : dropReason ? "dropped" : "feature",
    missing: profile.missing,
    unique: profile.unique,
    uniqueCapped: profile.distinctCapped,
  };
  if (dropReason) schema.dropReason = dropReason;
  if (numeric && profile.numeric > 0) {
    schema.min = profile.min;
    schema.max = profile.max;
  }
  if (!numeric && type !== "text" && type !== "identifier") {
    schema.categories = [...profile.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([value, count]) => ({ value, count }));
  }
  return schema;
}
