const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses a trimmed, non-missing cell as a number; undefined when it is not one (never 0 for blanks). */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function isIntegerText(text: string): boolean {
  return INTEGER.test(text);
}

export function isBooleanText(text: string): boolean {
  return BOOLEAN.test(text);
}

export function isDateText(text: string): boolean {
  return DATE.test(text) && !Number.isNaN(Date.parse(text));
}

export const DEFAULT_MISSING_TOKENS: readonly string[] = ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "?"];
