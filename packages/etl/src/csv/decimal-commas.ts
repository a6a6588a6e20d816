import { COMMA, DOT, isDigit, SPACE, TAB } from "./bytes.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

/** A number written with a decimal comma (`3,14`, `-0,5`, `,5`, `1,5E-3`), spaces around it allowed. */
export const DECIMAL_COMMA = /^\s*[-+]?(\d+,\d*|,\d+)([eE][-+]?\d+)?\s*$/u;
/** A number as a decimal-comma column may also hold it: with its comma or without (`12`). */
const COMMA_OR_INTEGER = /^\s*[-+]?(\d+(,\d*)?|,\d+)([eE][-+]?\d+)?\s*$/u;

/**
 * Numbers written with a decimal comma (`13,44`, as spreadsheets write them where the comma is the
 * decimal mark, in `;`-separated files), unquoted, read with a decimal point.
 */
export const decimalComma: NumberForm = {
  quoted: false,
  holds: (c) => isDigit(c) || c === COMMA || c === 0x2b || c === 0x2d || c === 0x65 || c === 0x45 || c === SPACE || c === TAB,
  plain: (field) => (DECIMAL_COMMA.test(String.fromCharCode(...field)) ? field.map((b) => (b === COMMA ? DOT : b)) : undefined),
};

/**
 * The columns of sample records (the header left out) that hold numbers with a decimal comma: every
 * value is such a number or an integer (blanks and `missing` tokens aside), and one at least has its comma.
 */
export function decimalCommaColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, COMMA_OR_INTEGER, DECIMAL_COMMA, ",");
}
