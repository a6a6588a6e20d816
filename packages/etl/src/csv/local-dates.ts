import { isDigit, SPACE, TAB } from "./bytes.js";
import type { NumberForm } from "./number-fields.js";

/**
 * A date with its year last, as spreadsheets write them by locale: `31.12.2024` (German), `31/12/2024`
 * (British, French), `12/31/2024` or `1/5/2024` (American Excel), `31-12-2024` (Dutch); a time of day
 * may follow (`31.12.2024 14:30`, `:05` seconds). One separator throughout the date.
 */
const LOCAL_DATE = /^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/u;
/**
 * A date with its year first but not as ISO writes it: `2024/12/31`, `2024.12.31` (Japanese, Chinese,
 * Hungarian exports), `2024-1-5` (no zero in front); always year, month, day.
 */
const YEAR_FIRST = /^\s*(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/u;

/** Which part comes first: the day (`31.12.2024`), the month (`12/31/2024`) or the year (`2024/12/31`). */
export type DateOrder = "day first" | "month first" | "year first";

/** The ISO text (`2024-12-31`, `2024-12-31 14:30`) of a local date read in `order`; undefined when it is no such date, or no real day. */
export function isoDate(text: string, order: DateOrder): string | undefined {
  const m = (order === "year first" ? YEAR_FIRST : LOCAL_DATE).exec(text);
  if (!m) return undefined;
  const parts = m as unknown as [string, string, string, string, string, string?, string?, string?];
  const [, a, , b, c, hour, minute, second] = parts;
  const year = order === "year first" ? a : c;
  const day = Number(order === "day first" ? a : order === "month first" ? b : c);
  const month = Number(order === "day first" ? b : order === "month first" ? a : b);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(year), month)) return undefined;
  const two = (n: number | string) => String(n).padStart(2, "0");
  let iso = `${year}-${two(month)}-${two(day)}`;
  if (hour !== undefined) {
    if (Number(hour) > 23 || Number(minute) > 59 || (second !== undefined && Number(second) > 59)) return undefined;
    iso += ` ${two(hour)}:${minute}${second !== undefined ? `:${second}` : ""}`;
  }
  return iso;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const isDateByte = (c: number) => isDigit(c) || c === 0x2e || c === 0x2f || c === 0x2d || c === 0x3a || c === 0x54 || c === SPACE || c === TAB;

function dateForm(order: DateOrder): NumberForm {
  return {
    quoted: true,
    // `1/5/2024 9:30` is `2024-01-05 09:30`: two digits more for the day and month, one for the hour.
    grows: 3,
    holds: isDateByte,
    plain: (field) => {
      const iso = isoDate(String.fromCharCode(...field), order);
      return iso === undefined ? undefined : [...Buffer.from(iso, "latin1")];
    },
  };
}

/** Dates written day first (`31.12.2024`), read as ISO dates (`2024-12-31`). */
export const dayFirstDate = dateForm("day first");
/** Dates written month first (`12/31/2024`), read as ISO dates (`2024-12-31`). */
export const monthFirstDate = dateForm("month first");
/** Dates written year first but not as ISO (`2024/12/31`, `2024-1-5`), read as ISO dates. */
export const yearFirstDate = dateForm("year first");

/**
 * The sample columns (the header left out) of local dates, by the order their values show: every
 * value such a date (blanks and `missing` tokens aside), a real day read that way and not the other,
 * one at least saying which part is the day (a first part past 12: day first; a second one: month
 * first). Dotted dates are day first: no locale writes them month first. A column whose days all fall
 * on the 1st to the 12th in the sample (slashes or dashes) could be either: it is left as text, unless
 * `hints` gives its order (the order its training file showed, to a model scoring new rows).
 */
export function localDateColumns(
  records: readonly (readonly string[])[],
  missing: ReadonlySet<string>,
  hints: ReadonlyMap<number, DateOrder> = new Map(),
): Map<number, DateOrder> {
  const found = new Map<number, DateOrder>();
  const width = Math.max(0, ...records.map((r) => r.length));
  for (let j = 0; j < width; j++) {
    let dayFirst = true;
    let monthFirst = true;
    let dotted = false;
    let seen = 0;
    let sure: DateOrder | undefined;
    let yearFirst = true;
    let isoAlready = true;
    for (const r of records) {
      const v = r[j];
      if (v === undefined || v.trim() === "" || missing.has(v.trim())) continue;
      if (yearFirst && isoDate(v, "year first") !== undefined) {
        seen++;
        dayFirst = false;
        monthFirst = false;
        isoAlready &&= isoDate(v, "year first") === v.trim().replace("T", " ");
        continue;
      }
      yearFirst = false;
      const m = LOCAL_DATE.exec(v);
      if (!m) {
        seen = 0;
        break;
      }
      seen++;
      dotted ||= m[2] === ".";
      dayFirst &&= isoDate(v, "day first") !== undefined;
      monthFirst &&= isoDate(v, "month first") !== undefined;
      if (!dayFirst && !monthFirst) break;
    }
    if (seen === 0) continue;
    // A column already written as ISO needs nothing (and is read as dates as it is).
    if (yearFirst) sure = isoAlready ? undefined : "year first";
    else if (dayFirst && !monthFirst) sure = "day first";
    else if (monthFirst && !dayFirst) sure = dotted ? undefined : "month first";
    else if (dayFirst && monthFirst && dotted) sure = "day first";
    else if (dayFirst && monthFirst) sure = hints.get(j);
    if (sure) found.set(j, sure);
  }
  return found;
}

/** English month names and their abbreviations (`Sept` too), lower case, to the month's number. */
const MONTHS = new Map<string, number>([
  ...["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"].flatMap(
    (name, k): [string, number][] => [
      [name, k + 1],
      [name.slice(0, 3), k + 1],
    ],
  ),
  ["sept", 9],
]);
const TIME_TAIL = "(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?";
/** `Jan 1 2000`, `January 1, 2000`, `Jan. 01, 2000` (a time may follow). */
const MONTH_DAY_YEAR = new RegExp(`^\\s*([A-Za-z]{3,9})\\.? (\\d{1,2}),? (\\d{4})${TIME_TAIL}\\s*$`, "u");
/** `1 Jan 2000`, `01-Jan-2000` (Oracle's and SAS's DD-MON-YYYY), `1 January 2000`. */
const DAY_MONTH_YEAR = new RegExp(`^\\s*(\\d{1,2})([ -])([A-Za-z]{3,9})\\.?\\2(\\d{4})${TIME_TAIL}\\s*$`, "u");

/** The ISO text of a date with its month named in English (`Jan 1 2000`, `1-Jan-2000`); undefined when it is no such date, or no real day. */
export function isoMonthNameDate(text: string): string | undefined {
  let year: string;
  let name: string;
  let day: number;
  let time: (string | undefined)[];
  const a = MONTH_DAY_YEAR.exec(text);
  if (a) {
    name = a[1] as string;
    day = Number(a[2]);
    year = a[3] as string;
    time = a.slice(4, 7);
  } else {
    const b = DAY_MONTH_YEAR.exec(text);
    if (!b) return undefined;
    day = Number(b[1]);
    name = b[3] as string;
    year = b[4] as string;
    time = b.slice(5, 8);
  }
  const month = MONTHS.get(name.toLowerCase());
  if (month === undefined || day < 1 || day > daysIn(Number(year), month)) return undefined;
  const two = (n: number | string) => String(n).padStart(2, "0");
  let iso = `${year}-${two(month)}-${two(day)}`;
  const [hour, minute, second] = time;
  if (hour !== undefined) {
    if (Number(hour) > 23 || Number(minute) > 59 || (second !== undefined && Number(second) > 59)) return undefined;
    iso += ` ${two(hour)}:${minute}${second !== undefined ? `:${second}` : ""}`;
  }
  return iso;
}

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Dates with their month named in English (`Jan 1 2000`, `"January 1, 2000"`, `01-Jan-2000`), read as ISO dates. */
export const monthNameDate: NumberForm = {
  quoted: true,
  // `May 1 2024 9:30` is `2024-05-01 09:30`: a digit more for the day and one for the hour.
  grows: 3,
  holds: (c) => isDateByte(c) || isLetter(c) || c === 0x2c,
  plain: (field) => {
    const iso = isoMonthNameDate(String.fromCharCode(...field));
    return iso === undefined ? undefined : [...Buffer.from(iso, "latin1")];
  },
};

/** The sample columns (the header left out) whose every value (blanks and `missing` tokens aside) is a date with its month named. */
export function monthNameDateColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  const found = new Set<number>();
  const width = Math.max(0, ...records.map((r) => r.length));
  for (let j = 0; j < width; j++) {
    let seen = 0;
    for (const r of records) {
      const v = r[j];
      if (v === undefined || v.trim() === "" || missing.has(v.trim())) continue;
      if (isoMonthNameDate(v) === undefined) {
        seen = 0;
        break;
      }
      seen++;
    }
    if (seen > 0) found.add(j);
  }
  return found;
}

/** Whether the sample may hold dates with their month named (a month's name beside a four-digit year). */
export function mayHoldMonthNameDates(sample: string): boolean {
  return /(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ ,-]+\d{1,2},?[ -]\d{4}|\d{1,2}[ -](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ -]\d{4}/iu.test(
    sample,
  );
}

/** Whether the sample may hold such dates (two numbers and a four-digit year, one separator): most files are not looked at further. */
export function mayHoldLocalDates(sample: string): boolean {
  return /\d{1,2}([./-])\d{1,2}\1\d{4}|\d{4}([./])\d{1,2}\2\d{1,2}|\d{4}-(\d-\d{1,2}|\d{2}-\d)(?!\d)/u.test(sample);
}
