import { COMMA, DOT, isDigit, SPACE, TAB } from "./bytes.js";
import { DECIMAL_COMMA } from "./decimal-commas.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

/**
 * A number with a decimal comma and its thousands grouped by dots or spaces, as German, French,
 * Spanish or Italian spreadsheets write amounts: `1.234,56`, `12.345.678`, `1 234,5`, with a no-break
 * space (U+00A0) or a narrow one (U+202F) as French software writes them. One separator throughout.
 */
const GROUPED = /^\s*[-+]?\d{1,3}([. \u00a0\u202f])\d{3}(\1\d{3})*(,\d*)?\s*$/u;
/** What such a column may also hold: numbers with a decimal comma and no grouping, and integers. */
const GROUPED_OR_PLAIN = new RegExp(`${GROUPED.source}|^\\s*[-+]?(\\d+(,\\d*)?|,\\d+)\\s*$`, "u");
/**
 * A grouped number no other reading fits: a decimal comma after the groups, two groups or more, or a
 * space between them (`1.234` alone may be one and a quarter, as an English file writes it).
 */
const SURELY_GROUPED = /^\s*[-+]?\d{1,3}(?:(?:\.\d{3}){2,}(?:,\d*)?|\.\d{3},\d*|([ \u00a0\u202f])\d{3}(?:\1\d{3})*(?:,\d*)?)\s*$/u;

/**
 * The same, on a field's bytes (UTF-8 or Latin-1: a no-break space is C2 A0 or A0, a narrow one E2 80
 * AF), each byte a character of the text tested.
 */
const GROUPED_BYTES = /^\s*[-+]?\d{1,3}(\.| |\xa0|\xc2\xa0|\xe2\x80\xaf)\d{3}(\1\d{3})*(,\d*)?\s*$/u;
/** Bytes such a field may hold besides digits, signs and its comma: separators, and spaces or tabs around it. */
const OTHER_BYTES = new Set([DOT, SPACE, TAB, 0xa0, 0xc2, 0xe2, 0x80, 0xaf]);

/**
 * Numbers with a decimal comma whose thousands are grouped by dots or spaces (`1.234,56`,
 * `1 234,56`), unquoted in a file not separated by commas or quoted in one, read plainly (`1234.56`);
 * the same column's ungrouped numbers with a decimal comma too (`12,5` as `12.5`). A column is read so
 * when every value of the sample is such a number or an integer and one at least can be nothing else.
 */
export const groupedDecimalComma: NumberForm = {
  quoted: true,
  holds: (c) => isDigit(c) || c === COMMA || c === 0x2b || c === 0x2d || OTHER_BYTES.has(c),
  plain: (field) => {
    const text = String.fromCharCode(...field);
    if (GROUPED_BYTES.test(text)) {
      const out: number[] = [];
      for (const b of field) {
        if (b === COMMA) out.push(DOT);
        else if (isDigit(b) || b === 0x2b || b === 0x2d) out.push(b);
      }
      return out;
    }
    return DECIMAL_COMMA.test(text) ? field.map((b) => (b === COMMA ? DOT : b)) : undefined;
  },
};

/** The columns of sample records (the header left out) that hold numbers with a decimal comma and grouped thousands. */
export function groupedDecimalCommaColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, GROUPED_OR_PLAIN, SURELY_GROUPED, ". \u00a0\u202f");
}

/** Whether the sample may hold such numbers (a digit, a separator, three digits): most files are not looked at further. */
export function mayHoldGroupedDecimalCommas(sample: string): boolean {
  return /\d[. \u00a0\u202f]\d{3}/u.test(sample);
}
