import type { z } from "zod";
import type { SqlDialect } from "../engine/dialect.js";
import type { ColumnType } from "../schema/types.js";

/** Why a row was rejected, as rejected.csv's `rule` column says it. */
export type RejectRule =
  | "ragged_row"
  | "missing_target"
  | "required_missing"
  | "type_mismatch"
  | "out_of_range"
  | "not_allowed_value"
  | "date_out_of_range"
  | "date_order"
  | "duplicate_row"
  | "repeated_header";

/** A check's verdict on one value: the rule it breaks and why, for rejected.csv. */
export interface Fault {
  rule: RejectRule;
  detail: string;
}

/** The counts of cells each normalisation step touched, per step name (etl_report.json's `cells`). */
export type CellCounts = Record<"trimmed" | "missing_token" | "zero_as_missing" | "recoded" | "case_normalised" | "filled", number>;

/** A step of the normalisation a trimmed, non-missing value goes through; "" makes it missing. */
export type NormaliseStep = (value: string, counts: CellCounts | undefined) => string;

/** What a rule is told about the column it is built for. */
export interface RuleContext {
  /** The column's type (inferred, or set by its `type` rule). */
  type: ColumnType;
  /** Every rule of the column, for rules that read another (`otherwise` goes with `recode`). */
  rules: Readonly<Record<string, unknown>>;
}

/**
 * How a rule treats a plain number (`-12`, `3.5`, `1e3`): the ETL reads plain numbers straight from
 * their bytes, skipping the string path, only when every rule of the column says it may.
 * - `unaffected`: the rule never changes or refuses a number (`required`: a number is present).
 * - `checked`: it may refuse one, and `fastCheck` decides as the full check would (`min`, `max`).
 * - `changes`: its normalisation may rewrite a number (`recode`, `zeroMeansMissing`): no fast path.
 * - `decides`: only the full decision tells (`allowed`, `case`, dates, bins): no fast path.
 */
export type PlainNumbers = "unaffected" | "checked" | "changes" | "decides";

/**
 * One rule of `rules.<column>`: its config key and schema, what it does (normalise a value, check it,
 * or shape the column), and what the machinery derives from it — the config schema, the docs table,
 * the fast path for plain numbers, the type checks before any row is written.
 */
export interface ColumnRule<V = unknown> {
  key: string;
  /** What it does, as the docs table says it. */
  kind: "normalises" | "checks" | "shapes the column";
  /** One line for the config schema and the docs. */
  description: string;
  schema: z.ZodType<V>;
  /** The column kind the rule needs: a rule on a column read as another stops the run before any row is written. */
  needs?: "number" | "date";
  /** The reject rule its check writes to rejected.csv. */
  rejects?: RejectRule;
  /** The normalisation step (in registry order: missing tokens, zero, recode, case). */
  step?: (value: V, ctx: RuleContext) => NormaliseStep | undefined;
  /** The check of a normalised, non-missing value (required is checked on missing ones). */
  check?: (value: V, ctx: RuleContext) => ((value: string) => Fault | undefined) | undefined;
  plainNumbers: PlainNumbers | ((value: V) => PlainNumbers);
  /** For `checked` rules: whether a plain number passes, as `check` would answer. */
  fastCheck?: (value: V) => (n: number) => boolean;
  /**
   * The same step or check in SQL, for the engines (see engine/): what `step` or `check` does, as an
   * expression of the dialect. Every rule with a step or a check has one (a test holds the registry to it).
   */
  sql?: {
    step?: (value: V, ctx: RuleContext, d: SqlDialect) => SqlStep | undefined;
    /** The count of etl_report.json's `cells` a step adds to. */
    counts?: keyof CellCounts;
    check?: (value: V, ctx: RuleContext, d: SqlDialect) => SqlCheck | undefined;
  };
}

/** A normalisation step in SQL, for a non-missing text expression `v`: the value it gives, and whether it counts as a change. */
export type SqlStep = (v: string) => { value: string; counted: string };
/** A check in SQL, for a normalised non-missing text expression `v`: when it fails, and the detail rejected.csv gives. */
export type SqlCheck = (v: string) => { fails: string; detail: string };

/** A rule definition, typed by its key and value (the registry holds them side by side). */
export function rule<const K extends string, V>(r: ColumnRule<V> & { key: K }): ColumnRule<V> & { key: K } {
  return r;
}
