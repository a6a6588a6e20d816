import { decimalComma, GROUPED_BY_DOTS_OR_SPACES } from "./decimal-commas.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

/**
 * A number with a decimal comma and its thousands grouped by dots or spaces, as German, French,
 * Spanish or Italian spreadsheets write amounts: `1.234,56`, `12.345.678`, `1 234,5`, with a no-break
 * space (U+00A0) or a narrow one (U+202F) as French software writes them: dots throughout, or spaces.
 */
const GROUPED = new RegExp(`^\\s*[-+]?(?:${GROUPED_BY_DOTS_OR_SPACES})(,\\d*)?\\s*$`, "u");
/** What such a column may also hold: numbers with a decimal comma and no grouping, and integers. */
const GROUPED_OR_PLAIN = new RegExp(`${GROUPED.source}|^\\s*[-+]?(\\d+(,\\d*)?|,\\d+)\\s*$`, "u");
/**
 * A grouped number no other reading fits: a decimal comma after the groups, two groups or more, or a
 * space between them (`1.234` alone may be one and a quarter, as an English file writes it).
 */
const SURELY_GROUPED = /^\s*[-+]?\d{1,3}(?:(?:\.\d{3}){2,}(?:,\d*)?|\.\d{3},\d*|([ \u00a0\u202f])\d{3}(?:\1\d{3})*(?:,\d*)?)\s*$/u;

/**
 * Numbers with a decimal comma whose thousands are grouped by dots or spaces (`1.234,56`,
 * `1 234,56`), unquoted in a file not separated by commas or quoted in one, read plainly (`1234.56`);
 * the same column's ungrouped numbers with a decimal comma too (`12,5` as `12.5`): decimalComma's
 * reading, quoted ones included. A column is read so when every value of the sample is such a number
 * or an integer and one at least can be nothing else.
 */
export const groupedDecimalComma: NumberForm = { ...decimalComma, quoted: true };

/** The columns of sample records (the header left out) that hold numbers with a decimal comma and grouped thousands. */
/** Whether a value may be such a number, or an integer (for a column whose form the caller knows: `1.234` is 1234 then). */
export function fitsGroupedDecimalComma(v: string): boolean {
  return GROUPED_OR_PLAIN.test(v);
}

export function groupedDecimalCommaColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  // A decimal point is in most files' numbers: a column is looked at only once a value is surely grouped.
  return columnsWhere(records, missing, GROUPED_OR_PLAIN, SURELY_GROUPED, "marked");
}

/** Whether the sample may hold such numbers (a digit, a separator, three digits): most files are not looked at further. */
export function mayHoldGroupedDecimalCommas(sample: string): boolean {
  return /\d[. \u00a0\u202f]\d{3}/u.test(sample);
}
