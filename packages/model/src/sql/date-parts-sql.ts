import type { DatePart } from "../preprocess/date-parts.js";
import type { ModelSqlDialect } from "./dialects.js";

/** Columns an engine computes before it can read a row's date parts: each layer may use the layers before it. */
export type DerivedLayers = (readonly [name: string, expr: string])[][];

/** Milliseconds in a day, an hour, a minute, written so that both engines read a double. */
const DAY = "8.64e+7";
const HOUR = "3.6e+6";
const MINUTE = "6e+4";

/** The forms isoTime reads: a date, a time with or without seconds and fractions, a zone. */
const ISO = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$";
/** The zone of an ISO text (its first group), after the date and time: `+02:00`, `-0530`, `+05`. */
const ZONE = "^.{10}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?)?([+-][0-9]{2}(?::?[0-9]{2})?)$";

/**
 * isoTime and datePart (date-parts.ts) as SQL both engines run: the ISO text's fields read at their
 * places, the instant in milliseconds by integer arithmetic (Hinnant's days-from-civil: any year, no
 * time zone of the server's, no engine date type whose range stops at 1970 or 2106), and each part from
 * the instant — so the engine reads a date exactly as pipe's scorer does. A text that is no date (a wrong
 * form, 2023-02-30, 08:60, a year before 100, which JavaScript's Date.UTC cannot write) has NULL parts.
 *
 * `prefix` names the columns (`${prefix}_ms`, `${prefix}_days`...); `text` is the column; `only` the parts computed.
 */
export function datePartsSql(
  d: ModelSqlDialect,
  text: string,
  prefix: string,
  only: readonly DatePart[] = ["days", "month", "weekday", "hour"],
): { layers: DerivedLayers; ms: string; part: (p: DatePart) => string } {
  const n = (name: string) => `${prefix}_${name}`;
  // Written out where used (an engine that substitutes aliases, as ClickHouse does, would copy each
  // alias into every place that names it); only the instant and the parts are columns.
  const t = d.trim(d.label(text));
  const at = (start: number, length: number) => d.integerOf(d.substring(t, start, length));
  const field = (pattern: string) => d.integerOf(d.capture(t, pattern));
  const zone = d.capture(t, ZONE);
  const floorDiv = (a: string, b: string) => `floor((${a}) / ${b})`;
  const y = at(1, 4);
  const mo = at(6, 2);
  const day = at(9, 2);
  const h = field("^.{10}[T ]([0-9]{2})");
  const mi = field("^.{10}[T ][0-9]{2}:([0-9]{2})");
  const s = field("^.{10}[T ][0-9]{2}:[0-9]{2}:([0-9]{2})");
  // Math.round of the fraction's milliseconds (half up, as for these positive values).
  const f = `coalesce(floor(${d.number(d.capture(t, "^.{19}([.][0-9]+)"))} * 1000 + 0.5), 0)`;
  // The zone's offset in minutes ("Z" or none: 0).
  const z = `CASE WHEN ${d.substring(zone, 1, 1)} = '-' THEN -1 ELSE 1 END * (${d.integerOf(d.substring(zone, 2, 2))} * 60 + ${d.integerOf(d.substring(d.replace(zone, ":", ""), 4, 2))})`;
  const leap = `((${y} % 4 = 0 AND ${y} % 100 <> 0) OR ${y} % 400 = 0)`;
  const daysInMonth = `CASE WHEN ${mo} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  // 24:00 ends a day, as JavaScript reads it; Date.UTC maps the years 0–99 to 1900–1999, so isoTime has none.
  const valid = `${d.matches(t, ISO)} AND ${y} >= 100 AND ${mo} BETWEEN 1 AND 12 AND ${day} >= 1 AND ${day} <= ${daysInMonth} AND ${mi} <= 59 AND ${s} <= 59 AND (${h} <= 23 OR (${h} = 24 AND ${mi} = 0 AND ${s} = 0 AND ${f} = 0))`;
  // Days from 1970-01-01 to the civil date (Hinnant): the year from March, eras of 400 years.
  const yMarch = `(${y} - CASE WHEN ${mo} <= 2 THEN 1 ELSE 0 END)`;
  const era = floorDiv(yMarch, "400");
  const yoe = `(${yMarch} - ${era} * 400)`;
  const doy = `(${floorDiv(`153 * (${mo} + CASE WHEN ${mo} > 2 THEN -3 ELSE 9 END) + 2`, "5")} + ${day} - 1)`;
  const doe = `(${yoe} * 365 + ${floorDiv(yoe, "4")} - ${floorDiv(yoe, "100")} + ${doy})`;
  const civilDays = `(${era} * 146097 + ${doe} - 719468)`;
  const ms = n("ms");
  const instant = `CASE WHEN ${valid} THEN ((${civilDays} * 86400 + ${h} * 3600 + ${mi} * 60 + ${s}) * 1000 + ${f} - ${z} * 60000) END`;
  // The day number of the instant, then the month of that day (Hinnant's civil-from-days).
  const dayNumber = floorDiv(ms, DAY);
  const zDays = `(${dayNumber} + 719468)`;
  const era2 = floorDiv(zDays, "146097");
  const doe2 = `(${zDays} - ${era2} * 146097)`;
  const yoe2 = floorDiv(`${doe2} - ${floorDiv(doe2, "1460")} + ${floorDiv(doe2, "36524")} - ${floorDiv(doe2, "146096")}`, "365");
  const doy2 = `(${doe2} - (365 * ${yoe2} + ${floorDiv(yoe2, "4")} - ${floorDiv(yoe2, "100")}))`;
  const mp = floorDiv(`5 * ${doy2} + 2`, "153");
  const msOfDay = `(${ms} - ${dayNumber} * ${DAY})`;
  const hours = floorDiv(msOfDay, HOUR);
  const parts: Record<DatePart, string> = {
    days: `${ms} / ${DAY}`,
    month: `CASE WHEN ${mp} < 10 THEN ${mp} + 3 ELSE ${mp} - 9 END`,
    // 1970-01-01 was a Thursday (3, counting Monday as 0).
    weekday: `(${dayNumber} + 3 - 7 * ${floorDiv(`${dayNumber} + 3`, "7")})`,
    hour: `(${hours} + ${floorDiv(`${msOfDay} - ${hours} * ${HOUR}`, MINUTE)} / 60)`,
  };
  return {
    layers: [[[ms, instant]], only.map((p) => [n(p), parts[p]] as const)],
    ms,
    part: (p) => n(p),
  };
}

/** Layers computed side by side (each list of layers from its own column) merged level by level. */
export function mergeLayers(all: readonly DerivedLayers[]): DerivedLayers {
  const out: DerivedLayers = [];
  for (const layers of all)
    for (const [k, layer] of layers.entries()) {
      const merged = out[k] ?? [];
      merged.push(...layer);
      out[k] = merged;
    }
  return out;
}
