import { COLUMN_RULES, type ColumnRules } from "./index.js";
import type { CellCounts, ColumnRule, NormaliseStep, RuleContext } from "./rule.js";

export type { CellCounts } from "./rule.js";

/** A zero count for every normalisation step. */
export function emptyCellCounts(): CellCounts {
  return { trimmed: 0, missing_token: 0, zero_as_missing: 0, recoded: 0, case_normalised: 0, filled: 0 };
}

/** Normalises one raw cell, adding the steps it took to `counts` when given; "" is a missing value. */
export type Normaliser = (raw: string, counts?: CellCounts) => string;

/**
 * The normaliser of one column, the same in every pass: trim, then the missing tokens (the file's and
 * the column's own) to "", then the steps of the column's rules in registry order (zero as missing,
 * recode with otherwise, case), each counted when it changes a cell; last, a missing value takes the
 * column's `fill` when it has one.
 */
export function makeCellNormaliser(globalMissing: readonly string[], rules: ColumnRules | undefined): Normaliser {
  const missing = new Set([...globalMissing, ...(rules?.missingTokens ?? [])]);
  const values = (rules ?? {}) as Record<string, unknown>;
  const ctx: RuleContext = { type: "category", rules: values };
  const steps: NormaliseStep[] = [];
  for (const r of COLUMN_RULES as readonly ColumnRule[]) {
    const value = values[r.key];
    if (value === undefined || !r.step) continue;
    const step = r.step(value, ctx);
    if (step) steps.push(step);
  }
  const normalise = (raw: string, counts?: CellCounts): string => {
    let v = raw.trim();
    if (counts && v.length !== raw.length) counts.trimmed++;
    if (missing.has(v)) {
      if (counts && v !== "") counts.missing_token++;
      return "";
    }
    for (const step of steps) {
      const before = v;
      v = step(v, counts);
      // A value a step made missing (zero as missing) takes no further step.
      if (v === "" && before !== "") return v;
    }
    return v;
  };
  const fill = rules?.fill?.trim();
  if (fill === undefined) return normalise;
  return (raw: string, counts?: CellCounts): string => {
    const v = normalise(raw, counts);
    if (v !== "") return v;
    if (counts) counts.filled++;
    return fill;
  };
}
