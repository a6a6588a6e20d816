const BOOLEAN = /^(true|false)$/i;
// The zone may be hours alone (`+00`), as PostgreSQL and DuckDB write a timestamp with time zone as text.
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/**
 * Classifies a trimmed cell in one pass over its characters: 0 not a number, 1 a decimal or
 * exponent number, 2 an integer: the grammar [-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?, without a regular expression
 * (the ETL calls this for every cell).
 */
export function numberKind(text: string): 0 | 1 | 2 {
  const n = text.length;
  let i = 0;
  if (n === 0) return 0;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) {
    i = 1;
    if (n === 1) return 0;
  }
  let digits = 0;
  let integer = true;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else break;
  }
  if (i < n && c === 46) {
    integer = false;
    i++;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
      else break;
    }
  }
  if (digits === 0) return 0;
  if (i < n && (c === 101 || c === 69)) {
    integer = false;
    i++;
    if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
    const start = i;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (!(c >= 48 && c <= 57)) break;
    }
    if (i === start) return 0;
  }
  if (i !== n) return 0;
  return integer ? 2 : 1;
}

/** Parses a trimmed, non-missing cell as a number; undefined when it is not one (never 0 for blanks). */
export function parseNumber(text: string): number | undefined {
  if (numberKind(text) === 0) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function isIntegerText(text: string): boolean {
  return numberKind(text) === 2;
}

export function isBooleanText(text: string): boolean {
  return BOOLEAN.test(text);
}

export function isDateText(text: string): boolean {
  return DATE.test(text) && !Number.isNaN(Date.parse(text));
}

/**
 * Cells read as missing unless `etl.missingTokens` says otherwise: pandas' default `na_values` (Excel's
 * `#N/A`, pandas' own `<NA>`, the C library's `1.#IND`...) and `?` (UCI's files).
 */
export const DEFAULT_MISSING_TOKENS: readonly string[] = [
  "",
  "NA",
  "N/A",
  "n/a",
  "NaN",
  "nan",
  "null",
  "NULL",
  "None",
  "?",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "<NA>",
  "-NaN",
  "-nan",
  "1.#IND",
  "-1.#IND",
  "1.#QNAN",
  "-1.#QNAN",
];
