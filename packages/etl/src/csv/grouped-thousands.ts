import { COMMA, DOT, isDigit, SPACE, TAB } from "./bytes.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

/** A number with its thousands grouped by commas: `1,234`, `-12,345,678.9`. */
export const GROUPED = /^\s*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\s*$/u;
/** What a column of grouped numbers may also hold: plain ones. */
const GROUPED_OR_PLAIN = /^\s*[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$/u;

/**
 * Numbers written with their thousands grouped by commas (`"1,234,567.5"`, quoted in a comma-separated
 * file, as spreadsheets and reports export them), read without the commas (a quoted one keeps its quotes).
 */
export const groupedThousands: NumberForm = {
  quoted: true,
  holds: (c) => isDigit(c) || c === COMMA || c === DOT || c === 0x2b || c === 0x2d || c === SPACE || c === TAB,
  plain: (field) => (GROUPED.test(String.fromCharCode(...field)) ? field.filter((b) => b !== COMMA) : undefined),
};

/**
 * The columns of sample records (the header left out) that hold numbers with grouped thousands: every
 * value is such a number or a plain one (blanks and `missing` tokens aside), and one at least is grouped.
 */
export function groupedThousandsColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, GROUPED_OR_PLAIN, GROUPED, ",");
}
