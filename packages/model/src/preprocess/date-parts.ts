/**
 * What a date column gives the model: a date is a point in time (days since 1970-01-01, for trends) and a
 * place in the calendar (month, weekday, and the hour when the training dates had times), which trees
 * cannot get from the day count alone — flights' delays follow the hour, weather the month.
 */
export type DatePart = "days" | "month" | "weekday" | "hour";

// The zone may be hours alone (`+05`): DuckDB writes a TIMESTAMPTZ so as text.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const DAY = 86_400_000;

/**
 * Milliseconds since the epoch of an ISO date or date-time as the ETL writes them (`2024-12-31`,
 * `2024-12-31 08:30:00`, with a `T`, seconds, fractions or an offset), read as UTC when no offset is given
 * — the same instant on every machine, whatever its time zone; NaN for anything else or an impossible date.
 */
export function isoTime(text: string): number {
  const m = ISO.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // 24:00 is the end of a day (as JavaScript reads it); 08:60 and 25:00 are no times.
  const endOfDay = hour === 24 && minute === 0 && second === 0 && !Number(frac);
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) return Number.NaN;
  // 2023-02-30 would roll over to March: not a date.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return Number.NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, frac ? Math.round(Number(frac) * 1000) : 0);
  if (!zone || zone === "Z") return ms;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Whether the instant has a time of day other than midnight (UTC). */
export function hasTimeOfDay(ms: number): boolean {
  return ((ms % DAY) + DAY) % DAY !== 0;
}

/** One part of an instant: days since the epoch (fractional with the time), month 1–12, weekday 0 (Monday)–6, hour 0–24 (fractional with the minutes). */
export function datePart(ms: number, part: DatePart): number {
  if (part === "days") return ms / DAY;
  const date = new Date(ms);
  if (part === "month") return date.getUTCMonth() + 1;
  if (part === "weekday") return (date.getUTCDay() + 6) % 7;
  return date.getUTCHours() + date.getUTCMinutes() / 60;
}

/** An instant as the ISO text a date column shows (with its time when the column has times). */
export function isoText(ms: number, withTime: boolean): string {
  const iso = new Date(ms).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
}
