import { COMMA, DOT, isDigit, SPACE, TAB } from "./bytes.js";
import { GROUPED_BY_DOTS_OR_SPACES } from "./decimal-commas.js";
import { columnsWhere, type NumberForm } from "./number-fields.js";

const PERCENT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s?%\s*$/u;
const PERCENT_OR_PLAIN = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)(\s?%)?\s*$/u;
const CURRENCY = /^\s*(-\s?)?[$€£¥]\s?-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$/u;
/** Excel's accounting format writes a zero as a dash (`$ -`, ` -   `, `- €`): in a column of such amounts, 0. */
const DASH_ZERO = /^\s*([$€£¥]\s*)?-\s*([$€£¥]\s*)?$/u;
const CURRENCY_OR_PLAIN = new RegExp(String.raw`^\s*(-\s?)?([$€£¥]\s?)?-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$|${DASH_ZERO.source}`, "u");

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
    if (DASH_ZERO.test(text)) return [0x30];
    const negative = text.includes("-");
    return bytesOf(`${negative ? "-" : ""}${text.replace(/[\s$€£¥,-]/gu, "")}`);
  },
};

/**
 * A number with a decimal comma, its thousands grouped by dots or by spaces (plain, no-break or
 * narrow no-break) or not at all: `1.234,56`, `1 234,5`, `12,5`, `7`.
 */
const COMMA_NUMBER = `(?:${GROUPED_BY_DOTS_OR_SPACES}|\\d+)(?:,\\d+)?`;
const CURRENCY_COMMA = new RegExp(String.raw`^\s*-?\s?([$€£¥]\s?-?${COMMA_NUMBER}|-?${COMMA_NUMBER}\s?[$€£¥])\s*$`, "u");
const CURRENCY_COMMA_OR_PLAIN = new RegExp(String.raw`^\s*-?\s?([$€£¥]\s?)?-?${COMMA_NUMBER}(\s?[$€£¥])?\s*$|${DASH_ZERO.source}`, "u");
const PERCENT_COMMA = new RegExp(String.raw`^\s*[-+]?${COMMA_NUMBER}\s?%\s*$`, "u");
const PERCENT_COMMA_OR_PLAIN = new RegExp(String.raw`^\s*[-+]?${COMMA_NUMBER}(\s?%)?\s*$`, "u");
/** UTF-8 bytes of €, £, ¥, the no-break space and the narrow one: 0xe2 0x82 0xac, 0xc2 0xa3, 0xc2 0xa5, 0xc2 0xa0, 0xe2 0x80 0xaf. */
const SIGN_AND_SPACE_BYTES = new Set([0xe2, 0x82, 0xac, 0xc2, 0xa3, 0xa5, 0xa0, 0x80, 0xaf]);

/** `text`'s number read plainly: its digits, its decimal comma as a point, a minus sign in front when it has one. */
function commaNumberBytes(text: string): number[] {
  const negative = text.includes("-");
  return bytesOf(`${negative ? "-" : ""}${text.replace(/[^\d,]/gu, "").replace(",", ".")}`);
}

/**
 * Amounts written with a currency sign where the comma is the decimal mark (`1.234,56 €`, `€ 12,50`,
 * `-7,5 €`, French `1 234,56 €`), read as the number (`1234.56`); the column's plain numbers with a
 * decimal comma too. Looked for after `currencySign`, whose reading a column keeps when both fit.
 */
export const currencySignDecimalComma: NumberForm = {
  quoted: true,
  holds: (c) => isDigit(c) || c === COMMA || c === DOT || c === 0x24 || c === 0x2d || c === SPACE || c === TAB || SIGN_AND_SPACE_BYTES.has(c),
  plain: (field) => {
    const text = textOf(field);
    if (!CURRENCY_COMMA_OR_PLAIN.test(text)) return undefined;
    return DASH_ZERO.test(text) ? [0x30] : commaNumberBytes(text);
  },
};

/** Numbers with a percent sign where the comma is the decimal mark (`13,5 %`), read as the number written (13.5). */
export const percentSignDecimalComma: NumberForm = {
  quoted: true,
  holds: (c) => isDigit(c) || c === COMMA || c === DOT || c === 0x25 || c === 0x2b || c === 0x2d || c === SPACE || c === TAB || SIGN_AND_SPACE_BYTES.has(c),
  plain: (field) => {
    const text = textOf(field);
    return PERCENT_COMMA_OR_PLAIN.test(text) ? commaNumberBytes(text) : undefined;
  },
};

/** Sample columns of amounts with a currency sign and a decimal comma (every value such an amount or a plain number, one at least with its sign). */
export function currencyDecimalCommaColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, CURRENCY_COMMA_OR_PLAIN, CURRENCY_COMMA, "$€£¥");
}

/** Sample columns of numbers with a percent sign and a decimal comma. */
export function percentDecimalCommaColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, PERCENT_COMMA_OR_PLAIN, PERCENT_COMMA, "%");
}

/** A number in parentheses, as accounting writes a negative amount: `(1,234.56)`, `($12.50)`, `(€ 7)`. */
const PARENTHESIZED = /^\s*\(\s?([$€£¥]\s?)?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s?([$€£¥])?\s?\)\s*$/u;
/** What such a column may also hold: the positive amounts, with or without a sign or grouping, and plain numbers. */
const PARENTHESIZED_OR_PLAIN = new RegExp(`${PARENTHESIZED.source}|${CURRENCY_OR_PLAIN.source}`, "u");

/**
 * Negative amounts in parentheses, as accounting formats write them (`(1,234.56)`, `($12.50)`: -1234.56,
 * -12.50), and the column's other amounts (`$1,000`, `250.5`) read plainly.
 */
export const parenthesizedNegative: NumberForm = {
  quoted: true,
  holds: (c) => c === 0x28 || c === 0x29 || currencySign.holds(c),
  plain: (field) => {
    const text = textOf(field);
    if (PARENTHESIZED.test(text)) return bytesOf(`-${text.replace(/[\s$€£¥,()]/gu, "")}`);
    return currencySign.plain(field);
  },
};

/** Sample columns of amounts with negatives in parentheses (every value such an amount or a plain one, one at least in parentheses). */
export function parenthesizedColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  return columnsWhere(records, missing, PARENTHESIZED_OR_PLAIN, PARENTHESIZED, "(");
}

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
