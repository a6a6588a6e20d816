import fc from "fast-check";
import { describe, expect, it } from "vitest";
// The ETL's reader of a training file's local dates: the model must read a record's dates as it did.
import { isoDate, isoMonthNameDate } from "../../../etl/src/csv/local-dates.js";
import { isoTime } from "./date-parts.js";
import { isoOfLocalDate } from "./local-dates.js";

const NAMES = ["Jan", "January", "Feb", "Sept", "September", "Dec", "december", "JUL", "Foo"];
const parts = fc.record({
  a: fc.integer({ min: 0, max: 35 }),
  b: fc.integer({ min: 0, max: 35 }),
  year: fc.integer({ min: 1899, max: 2101 }),
  pad: fc.boolean(),
  separator: fc.constantFrom(".", "/", "-"),
  time: fc.option(fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.option(fc.integer({ min: 0, max: 61 }))), { nil: undefined }),
  name: fc.constantFrom(...NAMES),
  space: fc.constantFrom("", " ", "  "),
});
type Parts = typeof parts extends fc.Arbitrary<infer T> ? T : never;

const two = (n: number, pad: boolean) => (pad ? String(n).padStart(2, "0") : String(n));
function timeOf(p: Parts): string {
  if (!p.time) return "";
  const [h, m, s] = p.time;
  return ` ${two(h, p.pad)}:${String(m).padStart(2, "0")}${s === null ? "" : `:${String(s).padStart(2, "0")}`}`;
}

describe("isoOfLocalDate", () => {
  it("reads a year-last date in the training file's order as the ETL reads it", () => {
    fc.assert(
      fc.property(parts, fc.constantFrom("day first" as const, "month first" as const), (p, order) => {
        const text = `${p.space}${two(p.a, p.pad)}${p.separator}${two(p.b, p.pad)}${p.separator}${p.year}${timeOf(p)}${p.space}`;
        expect(isoOfLocalDate(text, order)).toBe(isoDate(text, order));
      }),
      { numRuns: 4000, seed: 11 },
    );
  });

  it("reads a year-first date, and a month-name date, as the ETL reads them, whatever the order", () => {
    fc.assert(
      fc.property(parts, (p) => {
        const yearFirst = `${p.year}${p.separator}${two(p.a, p.pad)}${p.separator}${two(p.b, p.pad)}${timeOf(p)}`;
        expect(isoOfLocalDate(yearFirst, "day first")).toBe(isoDate(yearFirst, "year first"));
        for (const named of [
          `${p.name} ${p.a}, ${p.year}${timeOf(p)}`,
          `${p.name}. ${two(p.a, p.pad)} ${p.year}`,
          `${two(p.a, p.pad)}-${p.name}-${p.year}${timeOf(p)}`,
        ])
          expect(isoOfLocalDate(named, undefined), named).toBe(isoMonthNameDate(named));
      }),
      { numRuns: 4000, seed: 12 },
    );
  });

  it("without the training file's order, reads a year-last date only when its value shows the order", () => {
    expect(isoOfLocalDate("31/12/2024", undefined)).toBe("2024-12-31");
    expect(isoOfLocalDate("12/31/2024 08:30", undefined)).toBe("2024-12-31 08:30");
    expect(isoOfLocalDate("05/10/2021", undefined)).toBeUndefined();
    expect(isoOfLocalDate("05.10.2021", undefined)).toBe("2021-10-05");
    expect(isoOfLocalDate("05/10/2021", "day first")).toBe("2021-10-05");
    expect(isoOfLocalDate("05/10/2021", "month first")).toBe("2021-05-10");
    for (const no of ["31/02/2024", "2024-13-01", "next friday", "", "2024/12/31 25:00", "Foo 1 2000"]) expect(isoOfLocalDate(no, "day first")).toBeUndefined();
    // Whatever it gives is a date the model reads.
    for (const yes of ["29.02.2024", "2024/2/29", "Feb 29, 2024 23:59:59", "1-Jan-2000"])
      expect(Number.isNaN(isoTime(isoOfLocalDate(yes, "day first") as string))).toBe(false);
  });
});
