import { COMMA, DOT, isDigit, SPACE, TAB } from "./bytes.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

/**
 * A number with its thousands grouped by commas (`1,234`, `-12,345,678.9`), by apostrophes as Swiss
 * software writes them (`1'234.50`, also `’`), or by spaces as SI writes them (`1 234.5`, plain, no-break
 * or narrow no-break): one separator throughout, a decimal point.
 */
export const GROUPED = /^\s*[-+]?\d{1,3}([,'\u2019 \u00a0\u202f])\d{3}(\1\d{3})*(\.\d+)?\s*$/u;
/** What a column of grouped numbers may also hold: plain ones. */
const GROUPED_OR_PLAIN = /^\s*[-+]?(\d{1,3}([,'\u2019 \u00a0\u202f])\d{3}(\2\d{3})*|\d+)(\.\d+)?\s*$/u;
/** The same on a field's bytes (UTF-8, or Latin-1's one-byte no-break space), each byte a character of the text tested. */
const GROUPED_BYTES = /^\s*[-+]?\d{1,3}(,|'| |\xa0|\xc2\xa0|\xe2\x80\x99|\xe2\x80\xaf)\d{3}(\1\d{3})*(\.\d+)?\s*$/u;
/** Separator bytes: comma, apostrophe, space, and those of ’, the no-break space and the narrow one. */
const SEPARATOR_BYTES = new Set([COMMA, 0x27, SPACE, 0xa0, 0xc2, 0xe2, 0x80, 0x99, 0xaf]);

/**
 * Numbers written with their thousands grouped by commas (`"1,234,567.5"`, quoted in a comma-separated
 * file, as spreadsheets and reports export them), read without the commas (a quoted one keeps its quotes).
 */
export const groupedThousands: NumberForm = {
  quoted: true,
  holds: (c) => isDigit(c) || c === DOT || c === 0x2b || c === 0x2d || c === TAB || SEPARATOR_BYTES.has(c),
  plain: (field) => {
    if (!GROUPED_BYTES.test(String.fromCharCode(...field))) return undefined;
    // The separators out; spaces around the number stay as they came.
    let first = 0;
    let last = field.length - 1;
    while (field[first] === SPACE || field[first] === TAB) first++;
    while (field[last] === SPACE || field[last] === TAB) last--;
    return field.filter((b, k) => k < first || k > last || isDigit(b) || b === DOT || b === 0x2b || b === 0x2d);
  },
};

/**
 * The columns of sample records (the header left out) that hold numbers with grouped thousands: every
 * value is such a number or a plain one (blanks and `missing` tokens aside), and one at least is grouped.
 */
/** Whether a value may be such a number, or a plain one (for a column whose form the caller knows). */
export function fitsGroupedThousands(v: string): boolean {
  return GROUPED_OR_PLAIN.test(v);
}

export function groupedThousandsColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, GROUPED_OR_PLAIN, GROUPED, ",'\u2019 \u00a0\u202f");
}
