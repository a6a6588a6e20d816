import { COMMA, DOT, isDigit, SPACE, TAB } from "./bytes.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

/**
 * Thousands grouped by dots, or by spaces (plain, no-break or narrow no-break), as text: `1.234`,
 * `12 345 678` — where the comma is the decimal mark (a regular expression's source).
 */
export const GROUPED_BY_DOTS_OR_SPACES = String.raw`\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+`;
/** A number written with a decimal comma (`3,14`, `-0,5`, `,5`, `1,5E-3`), spaces around it allowed. */
export const DECIMAL_COMMA = /^\s*[-+]?(\d+,\d*|,\d+)([eE][-+]?\d+)?\s*$/u;
/** A number as a decimal-comma column may also hold it: with its comma or without (`12`). */
const COMMA_OR_INTEGER = /^\s*[-+]?(\d+(,\d*)?|,\d+)([eE][-+]?\d+)?\s*$/u;

/**
 * A number with a decimal comma and its thousands grouped by dots or spaces, on a field's bytes (UTF-8
 * or Latin-1: a no-break space is C2 A0 or A0, a narrow one E2 80 AF), each byte a character of the
 * text tested: `1.234,56`, `12.345.678`, `1 234,5`. One separator throughout.
 */
const GROUPED_BYTES = /^\s*[-+]?\d{1,3}(\.| |\xa0|\xc2\xa0|\xe2\x80\xaf)\d{3}(\1\d{3})*(,\d*)?\s*$/u;
/** Bytes such a field may hold besides digits, signs and its comma: separators, and spaces or tabs around it. */
const OTHER_BYTES = new Set([DOT, SPACE, TAB, 0xa0, 0xc2, 0xe2, 0x80, 0xaf]);

/**
 * Numbers written with a decimal comma (`13,44`, as spreadsheets write them where the comma is the
 * decimal mark, in `;`-separated files), unquoted, read with a decimal point; with their thousands
 * grouped by dots or spaces too (`1.234,56` as `1234.56`): where the comma is the decimal mark, a dot
 * or a space between groups of three digits groups thousands, and a file sorted by amount may hold
 * its first grouped one past the sample the column was chosen from.
 */
export const decimalComma: NumberForm = {
  quoted: false,
  holds: (c) => isDigit(c) || c === COMMA || c === 0x2b || c === 0x2d || c === 0x65 || c === 0x45 || OTHER_BYTES.has(c),
  plain: (field) => {
    const text = String.fromCharCode(...field);
    if (DECIMAL_COMMA.test(text)) return field.map((b) => (b === COMMA ? DOT : b));
    if (!GROUPED_BYTES.test(text)) return undefined;
    const out: number[] = [];
    for (const b of field) {
      if (b === COMMA) out.push(DOT);
      else if (isDigit(b) || b === 0x2b || b === 0x2d) out.push(b);
    }
    return out;
  },
};

/**
 * The columns of sample records (the header left out) that hold numbers with a decimal comma: every
 * value is such a number or an integer (blanks and `missing` tokens aside), and one at least has its comma.
 */
/** Whether a value may be such a number, or an integer (for a column whose form the caller knows). */
export function fitsDecimalComma(v: string): boolean {
  return COMMA_OR_INTEGER.test(v);
}

export function decimalCommaColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, COMMA_OR_INTEGER, DECIMAL_COMMA, ",");
}
