import { COMMA, DOT, isDigit, SPACE, TAB } from "./bytes.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

const PERCENT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s?%\s*$/u;
const PERCENT_OR_PLAIN = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)(\s?%)?\s*$/u;
const CURRENCY = /^\s*(-\s?)?[$€£¥]\s?-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$/u;
const CURRENCY_OR_PLAIN = /^\s*(-\s?)?([$€£¥]\s?)?-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$/u;

const textOf = (field: number[]) => Buffer.from(field).toString("utf8");
const bytesOf = (text: string) => [...Buffer.from(text, "utf8")];

/** Numbers written with a percent sign (`13.5%`, as LendingClub's interest rates are), read as the number written (13.5). */
export const percentSign: NumberForm = {
  quoted: true,
  holds: (c) => isDigit(c) || c === DOT || c === 0x25 || c === 0x2b || c === 0x2d || c === SPACE || c === TAB,
  plain: (field) => {
    const text = textOf(field);
    return PERCENT.test(text) ? bytesOf(text.replace("%", "")) : undefined;
  },
};

/** Amounts written with a currency sign (`$1,234.50`, `-€12`, `£ 7`), read as the number (grouping commas out). */
export const currencySign: NumberForm = {
  quoted: true,
  // The signs' bytes: $, and the UTF-8 of €, £ and ¥ (0xe2 0x82 0xac, 0xc2 0xa3, 0xc2 0xa5).
  holds: (c) =>
    isDigit(c) ||
    c === COMMA ||
    c === DOT ||
    c === 0x24 ||
    c === 0xe2 ||
    c === 0x82 ||
    c === 0xac ||
    c === 0xc2 ||
    c === 0xa3 ||
    c === 0xa5 ||
    c === 0x2d ||
    c === SPACE ||
    c === TAB,
  plain: (field) => {
    const text = textOf(field);
    if (!CURRENCY_OR_PLAIN.test(text)) return undefined;
    const negative = text.includes("-");
    return bytesOf(`${negative ? "-" : ""}${text.replace(/[\s$€£¥,-]/gu, "")}`);
  },
};

/** Sample columns of numbers with a percent sign (every value such a number or a plain one, one at least with its sign). */
export function percentColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, PERCENT_OR_PLAIN, PERCENT, "%");
}

/** Sample columns of amounts with a currency sign (every value such an amount or a plain number, one at least with its sign). */
export function currencyColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, CURRENCY_OR_PLAIN, CURRENCY, "$€£¥");
}

const INFINITY = /^\s*[-+]?(inf|infinity)\s*$/iu;
const NUMBER_OR_INFINITY = /^\s*[-+]?((\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|inf|infinity)\s*$/iu;
const INFINITY_LETTERS = new Set([..."+-infityINFITY \t"].map((c) => c.charCodeAt(0)));

/**
 * Infinite values as numpy and pandas write them (`inf`, `-inf`, `Infinity`) in a column of numbers,
 * read as missing (emptied): what `df.replace([np.inf, -np.inf], np.nan)` does before scikit-learn,
 * which refuses infinities; a column holding one is then numeric rather than text.
 */
export const infinity: NumberForm = {
  quoted: false,
  holds: (c) => INFINITY_LETTERS.has(c),
  plain: (field) => (INFINITY.test(textOf(field)) ? [] : undefined),
};

/** Sample columns of numbers holding infinite values (every value a number or an infinity, one at least an infinity). */
export function infinityColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, NUMBER_OR_INFINITY, INFINITY, "fF");
}
