import { describe, expect, it } from "vitest";
import { datePart, hasTimeOfDay, isoText, isoTime } from "./date-parts.js";
import { Preprocessor } from "./preprocessor.js";

describe("isoTime: the ISO dates and date-times the ETL writes, as UTC instants", () => {
  it("reads a date, a date-time with a space or a T, seconds, fractions and offsets", () => {
    expect(isoTime("2024-12-31")).toBe(Date.UTC(2024, 11, 31));
    expect(isoTime(" 2024-12-31 08:30 ")).toBe(Date.UTC(2024, 11, 31, 8, 30));
    expect(isoTime("2024-12-31T08:30:15.250")).toBe(Date.UTC(2024, 11, 31, 8, 30, 15, 250));
    expect(isoTime("2024-12-31T08:30:00Z")).toBe(Date.UTC(2024, 11, 31, 8, 30));
    expect(isoTime("2024-12-31T08:30:00+02:00")).toBe(Date.UTC(2024, 11, 31, 6, 30));
    // DuckDB writes a TIMESTAMPTZ with its zone in hours alone.
    expect(isoTime("2024-12-31 08:30:00+02")).toBe(Date.UTC(2024, 11, 31, 6, 30));
    expect(isoTime("2024-12-31 08:30:00-03")).toBe(Date.UTC(2024, 11, 31, 11, 30));
    expect(isoTime("2024-12-31 08:30-0530")).toBe(Date.UTC(2024, 11, 31, 14, 0));
  });

  it("refuses what is not a date, or a date that does not exist", () => {
    for (const text of [
      "",
      "2024-02-30",
      "2023-13-01",
      "31.12.2024",
      "2024/12/31",
      "20241231",
      "2024-12-31 25:00",
      "2024-12-31 24:30",
      "2024-12-31 08:60",
      "yesterday",
    ])
      expect(isoTime(text), text).toBeNaN();
    // 24:00 ends a day, as JavaScript reads it.
    expect(isoTime("2024-12-31 24:00")).toBe(Date.UTC(2025, 0, 1));
    expect(isoTime("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
  });

  it("gives the day count, the month, the weekday (Monday 0) and the hour with its minutes", () => {
    const ms = isoTime("2024-12-31 08:30"); // a Tuesday
    expect(datePart(ms, "days")).toBeCloseTo(20088 + 8.5 / 24, 12);
    expect(datePart(ms, "month")).toBe(12);
    expect(datePart(ms, "weekday")).toBe(1);
    expect(datePart(isoTime("2024-12-29"), "weekday")).toBe(6);
    expect(datePart(ms, "hour")).toBe(8.5);
    expect(hasTimeOfDay(ms)).toBe(true);
    expect(hasTimeOfDay(isoTime("1969-07-20"))).toBe(false);
    expect(isoText(ms, true)).toBe("2024-12-31 08:30:00");
    expect(isoText(ms, false)).toBe("2024-12-31");
  });
});

describe("a date feature in the preprocessing", () => {
  const dates = ["2024-01-01", "2024-01-02", "", "2024-03-15", "2024-06-30", "not a date"];
  const frame = { rows: dates.length, numeric: new Map(), categorical: new Map([["when", dates]]) };
  const rows = Int32Array.from(dates.keys());
  const y = Uint8Array.from([0, 1, 0, 1, 0, 1]);

  it("is read as its day count, month and weekday (the hour only when some date has a time), a missing date as each part's median", () => {
    const p = new Preprocessor().fit(frame, [{ name: "when", kind: "categorical", date: true }], rows, y);
    expect(p.specs[0]).toMatchObject({ kind: "date", parts: ["days", "month", "weekday"], earliest: "2024-01-01", latest: "2024-06-30", missingInTraining: 2 });
    expect(p.outputNames).toEqual(["when__days", "when__month", "when__weekday"]);
    const X = p.transform(frame, rows);
    expect(Array.from(X[1] as Float64Array)).toEqual([1, 1, 2, 3, 6, 2]);
    // The record path gives the training matrix's row.
    const warnings: string[] = [];
    expect(Array.from(p.transformRecord({ when: "2024-03-15" }, undefined, warnings))).toEqual([0, 1, 2].map((c) => (X[c] as Float64Array)[3]));
    expect(Array.from(p.transformRecord({ when: null }, undefined, warnings))).toEqual([0, 1, 2].map((c) => (X[c] as Float64Array)[2]));
    expect(warnings).toEqual(["when: missing, imputed with the training median of each part (days, month, weekday)"]);
    p.transformRecord({ when: "2025-01-01" }, undefined, warnings);
    expect(warnings.at(-1)).toBe("when: 2025-01-01 is outside the training range [2024-01-01, 2024-06-30]");
    expect(() => p.transformRecord({ when: "2024-02-30" })).toThrow('when: "2024-02-30" is not a date');
    expect(() => p.transformRecord({ when: 20240101 })).toThrow("when: expected a date as text");
  });

  it("keeps the hour when the training dates have times", () => {
    const timed = { rows: 3, numeric: new Map(), categorical: new Map([["at", ["2024-01-01 06:00", "2024-01-01 18:45", "2024-01-02"]]]) };
    const p = new Preprocessor().fit(timed, [{ name: "at", kind: "categorical", date: true }], Int32Array.from([0, 1, 2]), Uint8Array.from([0, 1, 0]));
    expect(p.specs[0]).toMatchObject({ parts: ["days", "month", "weekday", "hour"], earliest: "2024-01-01 06:00:00", latest: "2024-01-02 00:00:00" });
    expect(Array.from(p.transform(timed, Int32Array.from([0, 1, 2]))[3] as Float64Array)).toEqual([6, 18.75, 0]);
  });
});
