/**
 * The local date forms @pipe/etl reads in a training file (its csv/local-dates.ts), for the values a model
 * scores: a record sent as a raw row carries its dates as the file wrote them. @pipe/model does not depend on
 * @pipe/etl at run time (a service's install and its Lambda bundle stay small), so the forms are read here
 * too; local-dates.test.ts holds both readers to the same ISO text over generated dates.
 */

/** The order of a date's day and month when its year comes last, as the training file wrote it. */
export type DayMonthOrder = "day first" | "month first";

const TIME = String.raw`(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?`;
/** `31.12.2024`, `12/31/2024`, `31-12-2024`: one separator, the year last. */
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})([./-])(\d{1,2})\2(\d{4})${TIME}$`, "u");
/** `2024/12/31`, `2024.12.31`, `2024-1-5`: the year first, then the month. */
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([./-])(\d{1,2})\2(\d{1,2})${TIME}$`, "u");
/** `Jan 1 2000`, `January 1, 2000`, `Jan. 01, 2000`. */
const NAME_FIRST = new RegExp(String.raw`^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})${TIME}$`, "u");
/** `1 Jan 2000`, `01-Jan-2000`, `1 January 2000`. */
const DAY_NAME = new RegExp(String.raw`^(\d{1,2})([ -])([A-Za-z]{3,9})\.?\2(\d{4})${TIME}$`, "u");

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_OF = new Map<string, number>([["sept", 9]]);
for (const [k, name] of MONTH_NAMES.entries()) {
  MONTH_OF.set(name, k + 1);
  MONTH_OF.set(name.slice(0, 3), k + 1);
}

/**
 * The ISO text (`2024-12-31`, `2024-12-31 14:30`) of a date written in a local form the ETL reads, or
 * undefined when the text is none of them or no real day or time. A year-last date is read in `order`;
 * without one (the training file wrote no such dates, or none that showed their order) only when the value
 * shows its own order (a first or second part over 12), or is dotted (day first, as the ETL reads `05.10.2021`).
 */
export function isoOfLocalDate(text: string, order: DayMonthOrder | undefined): string | undefined {
  const t = text.trim();
  let m = YEAR_FIRST.exec(t);
  if (m) return isoOf(m[1], Number(m[3]), Number(m[4]), m.slice(5, 8));
  m = YEAR_LAST.exec(t);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[3]);
    // As the ETL reads a column: the value's own order when it shows one, dotted dates day first (German style).
    const shown = first > 12 && second <= 12 ? "day first" : second > 12 && first <= 12 ? "month first" : m[2] === "." ? "day first" : undefined;
    const read = order ?? shown;
    if (read === undefined) return undefined;
    return read === "day first" ? isoOf(m[4], second, first, m.slice(5, 8)) : isoOf(m[4], first, second, m.slice(5, 8));
  }
  m = NAME_FIRST.exec(t);
  if (m) return isoOf(m[3], MONTH_OF.get((m[1] as string).toLowerCase()), Number(m[2]), m.slice(4, 7));
  m = DAY_NAME.exec(t);
  if (m) return isoOf(m[4], MONTH_OF.get((m[3] as string).toLowerCase()), Number(m[1]), m.slice(5, 8));
  return undefined;
}

function isoOf(year: string | undefined, month: number | undefined, day: number, time: (string | undefined)[]): string | undefined {
  if (year === undefined || month === undefined || month < 1 || month > 12 || day < 1) return undefined;
  if (day > new Date(Date.UTC(Number(year), month, 0)).getUTCDate()) return undefined;
  const pad = (n: number | string) => String(n).padStart(2, "0");
  const date = `${year}-${pad(month)}-${pad(day)}`;
  const [hour, minute, second] = time;
  if (hour === undefined) return date;
  if (Number(hour) > 23 || Number(minute) > 59 || (second !== undefined && Number(second) > 59)) return undefined;
  return `${date} ${pad(hour)}:${minute}${second === undefined ? "" : `:${second}`}`;
}
