import { z } from "zod";
import type { SqlDialect } from "../engine/dialect.js";
import { numberKind } from "../internal/values.js";
import type { ColumnSchema } from "../schema/types.js";
import { allowed } from "./allowed.js";
import { caseRule } from "./case.js";
import { maxDate, minDate } from "./date-range.js";
import { discretize } from "./discretize.js";
import { drop } from "./drop.js";
import { fill } from "./fill.js";
import { missingTokens } from "./missing-tokens.js";
import { max, min } from "./range.js";
import { otherwise, recode } from "./recode.js";
import { required } from "./required.js";
import type { CellCounts, ColumnRule, Fault, PlainNumbers, RejectRule, RuleContext, SqlCheck, SqlStep } from "./rule.js";
import { type, typeCheck, typeCheckSql } from "./type.js";
import { zeroMeansMissing } from "./zero-means-missing.js";

/**
 * Every rule of `rules.<column>`, in the order they apply: normalisation steps (missing tokens, zero,
 * recode, case, the fill of missing values), then checks (required, the type, ranges, dates, allowed values), then the rules that
 * shape the column. The config schema, the reject rules, the checker, the fast path for plain numbers,
 * the type checks and the docs table are all built from this list: a new rule is a file and an entry.
 */
export const COLUMN_RULES = [
  type,
  missingTokens,
  zeroMeansMissing,
  recode,
  otherwise,
  caseRule,
  fill,
  required,
  min,
  max,
  minDate,
  maxDate,
  allowed,
  drop,
  discretize,
] as const;

/** The reject rules in the order etl_report.json counts them: the structural ones around the rules' own. */
export const REJECT_RULES: readonly RejectRule[] = [
  "ragged_row",
  "missing_target",
  "required_missing",
  "type_mismatch",
  "out_of_range",
  "not_allowed_value",
  "date_out_of_range",
  "date_order",
  "duplicate_row",
  "repeated_header",
];

type RuleValue<R> = R extends ColumnRule<infer V> ? V : never;
/** The rules of one column, as `rules.<column>` holds them. */
export type ColumnRules = { [R in (typeof COLUMN_RULES)[number] as R["key"]]?: RuleValue<R> };

/** The zod schema of `rules.<column>`, from the registry. */
export const columnRulesSchema = z
  .object(
    Object.fromEntries(COLUMN_RULES.map((r) => [r.key, (r.schema as z.ZodType).optional().describe(r.description)])) as Record<
      string,
      z.ZodOptional<z.ZodType>
    >,
  )
  .strict() as unknown as z.ZodType<ColumnRules>;

/** The rules of a column that are set (present and not `false`), with their values. */
function present(rules: ColumnRules | undefined): { rule: ColumnRule; value: unknown }[] {
  if (!rules) return [];
  const values = rules as Record<string, unknown>;
  return (COLUMN_RULES as readonly ColumnRule[])
    .filter((r) => values[r.key] !== undefined && values[r.key] !== false)
    .map((r) => ({ rule: r, value: values[r.key] }));
}

function plainNumbersOf(r: ColumnRule, value: unknown): PlainNumbers {
  return typeof r.plainNumbers === "function" ? r.plainNumbers(value) : r.plainNumbers;
}

/**
 * The checks a column's values meet, for a normalised value ("" is missing): `required` on missing
 * values; on present ones the column's type, then every check rule in registry order. Undefined for a
 * dropped column (nothing is checked).
 */
export function makeChecker(schema: ColumnSchema, rules: ColumnRules | undefined): ((v: string) => Fault | undefined) | undefined {
  if (schema.role === "dropped") return undefined;
  const ctx: RuleContext = { type: schema.type, rules: (rules ?? {}) as Record<string, unknown> };
  const isRequired = rules?.required === true;
  const checks: ((v: string) => Fault | undefined)[] = [];
  const byType = typeCheck(schema.type);
  if (byType) checks.push(byType);
  for (const { rule, value } of present(rules)) {
    // Range rules read numbers, date rules dates: on a column of another type they cannot apply
    // (and the run stops before the clean pass, see checkRuleTypes).
    if (rule.needs === "number" && schema.type !== "integer" && schema.type !== "float") continue;
    if (rule.needs === "date" && schema.type !== "date") continue;
    const check = rule.check?.(value as never, ctx);
    if (check) checks.push(check);
  }
  return (v: string): Fault | undefined => {
    if (v === "") return isRequired ? { rule: "required_missing", detail: "a required value is missing" } : undefined;
    for (const check of checks) {
      const fault = check(v);
      if (fault) return fault;
    }
    return undefined;
  };
}

/**
 * For a column whose plain numbers may skip the string path: whether such a number passes every check
 * as written. Undefined where a rule could change or refuse a number in ways only the full decision
 * tells (`special`: the column is binned or takes part in a date order).
 */
export function makeFastCheck(schema: ColumnSchema, rules: ColumnRules | undefined, special: boolean): ((n: number, integer: boolean) => boolean) | undefined {
  if (special) return undefined;
  if (schema.role === "dropped") return () => true;
  if (schema.type !== "integer" && schema.type !== "float") return undefined;
  const checks: ((n: number) => boolean)[] = [];
  for (const { rule, value } of present(rules)) {
    const kind = plainNumbersOf(rule, value);
    if (kind === "decides" || kind === "changes") return undefined;
    if (kind === "checked") checks.push((rule.fastCheck as (v: unknown) => (n: number) => boolean)(value));
  }
  const all = (n: number) => {
    for (const c of checks) if (!c(n)) return false;
    return true;
  };
  return schema.type === "integer" ? (n, integer) => integer && all(n) : (n) => all(n);
}

/** Whether the column's normalisation leaves every plain number as written (so it may skip the string). */
export function leavesPlainNumbers(globalMissing: readonly string[], rules: ColumnRules | undefined): boolean {
  if (globalMissing.some((token) => numberKind(token.trim()) !== 0)) return false;
  return !present(rules).some(({ rule, value }) =>
    rule.step !== undefined || rule.key === "missingTokens" ? plainNumbersOf(rule, value) === "changes" : false,
  );
}

/** The rules of a column that need a kind of column ("number", "date"), for the checks before any row is written. */
export function typedRules(rules: ColumnRules | undefined): { key: string; needs: "number" | "date" }[] {
  return present(rules).flatMap(({ rule }) => (rule.needs ? [{ key: rule.key, needs: rule.needs }] : []));
}

/** One check of a column in SQL, in the order {@link makeChecker} applies them. */
export interface SqlColumnCheck {
  rule: RejectRule;
  check: SqlCheck;
}

/**
 * {@link makeChecker} in SQL: the checks a present (non-missing) value meets, in order — the type, then
 * every check rule in registry order — and whether a missing value is a `required_missing` fault.
 * Undefined for a dropped column.
 */
export function checksSql(schema: ColumnSchema, rules: ColumnRules | undefined, d: SqlDialect): { checks: SqlColumnCheck[]; required: boolean } | undefined {
  if (schema.role === "dropped") return undefined;
  const ctx: RuleContext = { type: schema.type, rules: (rules ?? {}) as Record<string, unknown> };
  const checks: SqlColumnCheck[] = [];
  const byType = typeCheckSql(schema.type, d);
  if (byType) checks.push({ rule: "type_mismatch", check: byType });
  for (const { rule, value } of present(rules)) {
    if (rule.needs === "number" && schema.type !== "integer" && schema.type !== "float") continue;
    if (rule.needs === "date" && schema.type !== "date") continue;
    const check = rule.sql?.check?.(value as never, ctx, d);
    if (check && rule.rejects) checks.push({ rule: rule.rejects, check });
  }
  return { checks, required: rules?.required === true };
}

/** The normalisation steps of a column in SQL (after trimming and missing tokens), in registry order, with the count each adds to. */
export function stepsSql(rules: ColumnRules | undefined, d: SqlDialect): { step: SqlStep; counts: keyof CellCounts }[] {
  const values = (rules ?? {}) as Record<string, unknown>;
  const ctx: RuleContext = { type: "category", rules: values };
  const steps: { step: SqlStep; counts: keyof CellCounts }[] = [];
  for (const r of COLUMN_RULES as readonly ColumnRule[]) {
    const value = values[r.key];
    if (value === undefined || !r.sql?.step || !r.sql.counts) continue;
    const step = r.sql.step(value, ctx, d);
    if (step) steps.push({ step, counts: r.sql.counts });
  }
  return steps;
}

/** The rules as a Markdown table (the docs' list of rules is this, checked by a test). */
export function rulesMarkdown(): string {
  const rows = (COLUMN_RULES as readonly ColumnRule[]).map((r) => {
    const plain = typeof r.plainNumbers === "function" ? "depends on its value" : r.plainNumbers;
    return `| \`${r.key}\` | ${r.description} | ${r.kind} | ${r.rejects ? `\`${r.rejects}\`` : ""} | ${r.needs ?? ""} | ${plain} |`;
  });
  return ["| rule | what it does | kind | rejects as | needs a column of | plain numbers |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

export type { CellCounts, ColumnRule, Fault, NormaliseStep, PlainNumbers, RejectRule, RuleContext, SqlCheck, SqlStep } from "./rule.js";
