import { binCleaner, type FittedBins } from "./bins.js";
import { isoTime } from "./date-parts.js";
import { type DayMonthOrder, isoOfLocalDate } from "./local-dates.js";
import { type LocalNumberForm, plainOfLocalNumber } from "./local-numbers.js";
import type { CellCleaner } from "./preprocessor.js";
import type { ColumnSpec } from "./spec.js";

/**
 * A column's normalising rules as the pipeline's ETL applies them (`etl.rules.<column>` of @pipe/etl:
 * the ones that change a cell; the checks reject rows, which a prediction cannot).
 */
export interface CleaningRules {
  missingTokens?: readonly string[];
  zeroMeansMissing?: boolean;
  recode?: Readonly<Record<string, string>>;
  otherwise?: string;
  case?: "lower" | "upper";
  fill?: string;
}

/** The ETL settings a model's lineage records (the `etl` of its effective config), as far as cleaning a cell goes. */
export interface CleaningSettings {
  missingTokens?: readonly string[];
  rules?: Readonly<Record<string, CleaningRules>>;
  /** "missing": a cell that is not of its column's type (a word among numbers) was read as missing, not its row rejected. */
  onTypeMismatch?: "reject" | "missing";
}

/** The rules above that change a cell. */
const NORMALISING = ["missingTokens", "zeroMeansMissing", "recode", "otherwise", "case", "fill"] as const;

/**
 * A cell cleaned as @pipe/etl's makeCellNormaliser cleans it — trimmed; a missing token (the file's or
 * the column's) missing; then zero as missing, recode with otherwise, case; a missing value its fill —
 * so that a model meets the cells it scores as it met its training rows. The model package does not
 * depend on the ETL's: a test runs both over the rules' values and requires the same text.
 */
export function cellCleaner(fileTokens: readonly string[], rules: CleaningRules): CellCleaner {
  const missing = new Set([...fileTokens, ...(rules.missingTokens ?? [])]);
  // The steps in the ETL's registry order; each leaves a blank as it is, as the ETL's do.
  const steps: ((v: string) => string)[] = [];
  if (rules.zeroMeansMissing) steps.push((v) => (v === "" || Number(v) !== 0 ? v : ""));
  if (rules.recode) {
    const recoded = new Map(Object.entries(rules.recode));
    // A value the cleaning yields (the map's, as written or as the case rule spells it; the fill) is left as it is by `otherwise`.
    const values = [...recoded.values()];
    const spelt = rules.case === "lower" ? values.map((v) => v.toLowerCase()) : rules.case === "upper" ? values.map((v) => v.toUpperCase()) : [];
    const fillText = rules.fill === undefined ? "" : String(rules.fill).trim();
    const filled = fillText ? [fillText] : [];
    const yielded = new Set([...values, ...spelt, ...filled]);
    const otherwise = rules.otherwise === undefined ? undefined : String(rules.otherwise);
    steps.push((v) => recoded.get(v) ?? (otherwise === undefined || yielded.has(v) ? v : otherwise));
  }
  if (rules.case) steps.push(rules.case === "lower" ? (v) => v.toLowerCase() : (v) => v.toUpperCase());
  const normalise = (raw: string): string => {
    let v = raw.trim();
    if (missing.has(v)) return "";
    for (const step of steps) {
      const before = v;
      v = step(v);
      // A value a step made missing takes no further step.
      if (v === "" && before !== "") return v;
    }
    return v;
  };
  // (A lineage written from a config's raw JSON may hold a number: `"fill": 0`.)
  const fill = rules.fill === undefined ? undefined : String(rules.fill).trim();
  if (fill === undefined) return normalise;
  return (raw) => {
    const v = normalise(raw);
    return v === "" ? fill : v;
  };
}

/**
 * Each column's cleaning from the ETL settings a model's lineage records: undefined for a column without
 * a normalising rule of its own (the scorers' trim and missing tokens are its whole cleaning).
 */
export function cleaningOf(settings: CleaningSettings | undefined): (column: string) => CellCleaner | undefined {
  const tokens = settings?.missingTokens ?? [""];
  return (column) => {
    const own = normalisingRulesOf(settings, column);
    return own ? cellCleaner(tokens, own) : undefined;
  };
}

/** A column's normalising rules in `settings` (those that change a cell), or undefined when it has none. */
export function normalisingRulesOf(settings: CleaningSettings | undefined, column: string): CleaningRules | undefined {
  const rules = settings?.rules ?? {};
  const own = Object.hasOwn(rules, column) ? (rules[column] as Record<string, unknown>) : undefined;
  if (!own) return undefined;
  const kept = Object.fromEntries(NORMALISING.filter((key) => own[key] !== undefined && own[key] !== false).map((key) => [key, own[key]]));
  return Object.keys(kept).length > 0 ? (kept as CleaningRules) : undefined;
}

/**
 * Each input column's whole cleaning of a new cell, in the ETL's order: the missing tokens and the
 * column's normalising rules (see cleaningOf); then the type check (a word among numbers read as missing,
 * when the training run said `onTypeMismatch: "missing"`); then the bins of a number the ETL discretised.
 * The training run's missing tokens that are numbers (`-1`, `999` for "not measured") apply to a numeric
 * column without rules of its own too: a record's number is text to them, as a cell was (a file's scorer
 * applies every token; a record's words are checked by type first, so only these matter there). None of
 * the default tokens is a number: a column without rules then gets no cleaning, and costs nothing. A date
 * column's local forms (the ETL read them as ISO dates) are read as ISO text before the date is read; a
 * number column's text in the training file's local form (`29,85`, `1.234,56`), as plain numeric text.
 */
export function inputCleaning(
  settings: CleaningSettings | undefined,
  specs: readonly ColumnSpec[],
  bins: Readonly<Record<string, FittedBins>>,
  dateOrders: Readonly<Record<string, DayMonthOrder>> = {},
  numberForms: Readonly<Record<string, LocalNumberForm>> = {},
): (column: string) => CellCleaner | undefined {
  const cleanerOf = cleaningOf(settings);
  const specOf = new Map(specs.map((s) => [s.name, s]));
  const numberTokens = new Set((settings?.missingTokens ?? []).map((t) => t.trim()).filter((t) => t !== "" && Number.isFinite(Number(t))));
  return (column) => {
    const spec = specOf.get(column);
    const fitted = Object.hasOwn(bins, column) ? bins[column] : undefined;
    const readsNumbers = fitted !== undefined || spec?.kind === "numeric";
    const own = cleanerOf(column);
    const tokens: CellCleaner | undefined = !own && numberTokens.size > 0 && readsNumbers ? (text) => (numberTokens.has(text.trim()) ? "" : text) : undefined;
    const steps = [own ?? tokens];
    if (spec?.kind === "date") steps.push(localDateAsIso(Object.hasOwn(dateOrders, column) ? dateOrders[column] : undefined));
    const form = readsNumbers && Object.hasOwn(numberForms, column) ? numberForms[column] : undefined;
    if (form) steps.push((text) => plainOfLocalNumber(text, form) ?? text);
    if (settings?.onTypeMismatch === "missing") steps.push(mismatchAsMissing(spec, fitted));
    if (fitted) steps.push(binCleaner(fitted));
    const chosen = steps.filter((s): s is CellCleaner => s !== undefined);
    if (chosen.length <= 1) return chosen[0];
    return (text) => chosen.reduce((v, step) => step(v), text);
  };
}

/**
 * A date column's new cell in a local form the ETL reads (`31.12.2024` in the training file's order,
 * `2024/12/31`, `Jan 1 2000`) as its ISO text, which the model reads; ISO text, blanks and what is no
 * date pass as they are (the date check refuses the last, or reads it as missing).
 */
function localDateAsIso(order: DayMonthOrder | undefined): CellCleaner {
  return (text) => {
    const t = text.trim();
    if (t === "" || !Number.isNaN(isoTime(t))) return text;
    return isoOfLocalDate(t, order) ?? text;
  };
}

/**
 * The ETL's `onTypeMismatch: "missing"` for a column's new cells: a cell its type cannot read — not a
 * number in a numeric column (or a binned one, whose bin labels pass: the processed file's cells), not a
 * date in a date column — is missing; undefined for a column without a type to check.
 */
function mismatchAsMissing(spec: ColumnSpec | undefined, bins: FittedBins | undefined): CellCleaner | undefined {
  if (bins) {
    const labels = new Set(bins.labels);
    return (text) => {
      const t = text.trim();
      return t === "" || labels.has(t) || Number.isFinite(Number(t)) ? text : "";
    };
  }
  if (spec?.kind === "numeric") return (text) => (text.trim() === "" || Number.isFinite(Number(text.trim())) ? text : "");
  if (spec?.kind === "date") return (text) => (text.trim() === "" || !Number.isNaN(isoTime(text)) ? text : "");
  return undefined;
}
