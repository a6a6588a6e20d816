import type { DuplicatesPolicy } from "./clean/duplicates-policy.js";
import type { ColumnType } from "./schema/types.js";
import { DEFAULT_MISSING_TOKENS } from "./schema/values.js";

/** Rules for one column, all optional; set in the pipeline config under `etl.columns`. */
export interface ColumnRules {
  /** Forces the type instead of inferring it. */
  type?: ColumnType;
  /** Extra tokens read as missing in this column. */
  missingTokens?: string[];
  /** A 0 in this column means "not measured" (Pima's glucose, BMI...). */
  zeroMeansMissing?: boolean;
  /** A row missing this column is rejected. */
  required?: boolean;
  /** Numeric range; values outside reject the row. */
  min?: number;
  max?: number;
  /** Allowed category values; others reject the row. */
  allowed?: string[];
  /** Value map applied after trimming (`{"No internet service": "No"}`). */
  recode?: Record<string, string>;
  /** With `recode`: the value of every non-missing value the map does not name (e.g. "attack"). */
  otherwise?: string;
  /** Case normalisation of category spelling. */
  case?: "lower" | "upper";
  /** Drop this column from the output. */
  drop?: boolean;
  /** Replaces a number by its bin (equal-width or quantile bins fitted on the profile pass). */
  discretize?: DiscretizeRule;
  /** Date range (ISO strings); dates outside reject the row. */
  minDate?: string;
  maxDate?: string;
}

/** Discretisation of a numeric column into bins, labelled `(a, b]` (the first `[a, b]`) or by bin number. */
export interface DiscretizeRule {
  /** `width`: equal-width bins from min to max; `quantile`: bins holding about the same number of rows. */
  method: "width" | "quantile";
  bins: number;
  /** `interval` (default) writes the bin's range as a category; `index` writes 0, 1, ... as an integer. */
  labels?: "interval" | "index";
}

export interface EtlOptions {
  /** The label column. */
  target: string;
  /** The label value of the positive class; the last of the two sorted labels when absent. */
  positive?: string;
  delimiter?: string;
  header?: boolean;
  columns?: string[];
  /** Tokens read as missing in every column (defaults: empty, NA, N/A, null, ?, ...). */
  missingTokens?: string[];
  /**
   * Rows that repeat an earlier row exactly: always counted and reported; `drop` rejects them
   * (`duplicate_row`), `keep` keeps them, `auto` (default) drops them only where a repeat is implausible
   * by chance — see {@link decideDuplicates} — and the report says which it chose and why.
   */
  duplicates?: DuplicatesPolicy;
  /** Older spelling: `true` is `duplicates: "drop"`, `false` is `"keep"`; `duplicates` wins when both are set. */
  dropDuplicates?: boolean;
  dropIdentifiers?: boolean;
  dropConstant?: boolean;
  /** Columns missing in more than this share of rows are dropped (0..1). */
  maxMissingShare?: number;
  /** A text column with more distinct values than this is free text, not a category. */
  maxCategories?: number;
  /** What to do with a cell whose type does not match its column: reject the row or read it as missing. */
  onTypeMismatch?: "reject" | "missing";
  /** Cross-column date order: each `before` date must not be later than its `after` date. */
  dateOrder?: { before: string; after: string }[];
  rules?: Record<string, ColumnRules>;
  /**
   * How many cells (2 bytes each) the profile pass may keep so the clean pass replays them instead
   * of reading the source a second time; 0 always reads it twice. A distinct row costs its width in
   * cells, and every row 4 more (its record and line), so repeated rows cost little. Default 32 Mi
   * cells (64 MB).
   */
  inMemoryCells?: number;
}

export interface ResolvedEtlOptions extends Required<Omit<EtlOptions, "positive" | "delimiter" | "header" | "columns" | "dropDuplicates">> {
  positive?: string;
  delimiter?: string;
  header?: boolean;
  columns?: string[];
}

export function resolveOptions(options: EtlOptions): ResolvedEtlOptions {
  const { dropDuplicates, ...rest } = options;
  const duplicates = options.duplicates ?? (dropDuplicates === true ? "drop" : dropDuplicates === false ? "keep" : "auto");
  return {
    missingTokens: [...DEFAULT_MISSING_TOKENS],
    dropIdentifiers: true,
    dropConstant: true,
    maxMissingShare: 0.5,
    maxCategories: 100,
    onTypeMismatch: "reject",
    dateOrder: [],
    rules: {},
    inMemoryCells: 32 << 20,
    ...stripUndefined(rest),
    duplicates,
  } as ResolvedEtlOptions;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
