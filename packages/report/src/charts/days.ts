import { isoTime } from "@pipe/model";

/** Milliseconds in a day: a date's value on a chart is its day count since 1970-01-01 (UTC). */
export const DAY_MS = 86_400_000;

/** An ISO date's day count since 1970-01-01 (fractional with its time), NaN when it is no date. */
export const daysOfIso = (text: string): number => isoTime(text) / DAY_MS;

/** A day count as the ISO text Plotly reads on a date axis. */
export const isoOfDays = (days: number): string => new Date(Math.round(days * DAY_MS)).toISOString();
