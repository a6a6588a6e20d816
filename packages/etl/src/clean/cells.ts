import type { ColumnRules } from "../options.js";

/** The counts of cells each normalisation step touched, per step name. */
export type CellCounts = Record<"trimmed" | "missing_token" | "zero_as_missing" | "recoded" | "case_normalised", number>;

export function emptyCellCounts(): CellCounts {
  return { trimmed: 0, missing_token: 0, zero_as_missing: 0, recoded: 0, case_normalised: 0 };
}

/**
 * Normalises a raw cell the same way in every pass: trim, missing tokens to "", zero as missing,
 * recode, case. Returns "" for a missing value.
 */
/** Normalises one raw cell, adding the steps it took to `counts` when given. */
export type Normaliser = (raw: string, counts?: CellCounts) => string;

/**
 * The normaliser of one column: trims, reads missing tokens (the global ones and the column's own) as
 * missing, applies zero-means-missing, recoding and case, in that order, counting each step it takes.
 */
export function makeCellNormaliser(globalMissing: readonly string[], rules: ColumnRules | undefined): Normaliser {
  const missing = new Set([...globalMissing, ...(rules?.missingTokens ?? [])]);
  const zero = rules?.zeroMeansMissing === true;
  const recode = rules?.recode ? new Map(Object.entries(rules.recode)) : undefined;
  const caseRule = rules?.case;
  const otherwise = rules?.otherwise;
  return (raw: string, counts?: CellCounts): string => {
    let v = raw.trim();
    if (counts && v.length !== raw.length) counts.trimmed++;
    if (missing.has(v)) {
      if (counts && v !== "") counts.missing_token++;
      return "";
    }
    if (zero && v !== "" && Number(v) === 0) {
      if (counts) counts.zero_as_missing++;
      return "";
    }
    if (recode) {
      const r = recode.get(v);
      if (r !== undefined) {
        if (counts) counts.recoded++;
        v = r;
      } else if (otherwise !== undefined) {
        if (counts && v !== otherwise) counts.recoded++;
        v = otherwise;
      }
    }
    if (caseRule) {
      const c = caseRule === "lower" ? v.toLowerCase() : v.toUpperCase();
      if (counts && c !== v) counts.case_normalised++;
      v = c;
    }
    return v;
  };
}
