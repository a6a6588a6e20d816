import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryMetrics } from "./evaluate.js";
import { BinaryMetricsTally } from "./tally.js";

/** Rows of (label, score): scores drawn from a few values (ties), the clipped ends, -0, and any double in [0, 1]. */
const rows = fc.array(
  fc.tuple(fc.constantFrom(0, 1), fc.oneof(fc.constantFrom(0, -0, 1, 0.5, 0.25, 1e-16, 1 - 1e-16), fc.double({ min: 0, max: 1, noNaN: true }))),
  { minLength: 1, maxLength: 300 },
);

describe("BinaryMetricsTally", () => {
  it("gives binaryMetrics' numbers to the last bit, row by row as they come", () => {
    fc.assert(
      fc.property(rows, fc.constantFrom(0.5, 0.3, 0), (data, threshold) => {
        const y = data.map(([label]) => label);
        const p = data.map(([, score]) => score);
        const positives = y.filter((v) => v === 1).length;
        const tally = new BinaryMetricsTally(threshold);
        for (const [label, score] of data) tally.add(label, score);
        expect(tally.rows).toBe(data.length);
        expect(tally.positiveRows).toBe(positives);
        if (positives === 0 || positives === data.length) {
          expect(() => tally.metrics()).toThrowError(/both classes|at least one positive/);
          return;
        }
        const streamed = tally.metrics();
        const whole = binaryMetrics(y, p, threshold);
        expect(Object.keys(streamed).sort()).toEqual(Object.keys(whole).sort());
        for (const [k, v] of Object.entries(whole)) {
          if (typeof v === "number")
            expect(Object.is(streamed[k as keyof typeof streamed], v), `${k}: ${streamed[k as keyof typeof streamed]} vs ${v}`).toBe(true);
          else expect(streamed[k as keyof typeof streamed]).toEqual(v);
        }
        // Asked again (its lists now sorted), and after more rows: still binaryMetrics' numbers.
        expect(tally.metrics()).toEqual(streamed);
        tally.add(1, 0.9);
        tally.add(0, 0.1);
        expect(tally.metrics()).toEqual(binaryMetrics([...y, 1, 0], [...p, 0.9, 0.1], threshold));
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it("grows past its first lists (a million rows)", () => {
    const tally = new BinaryMetricsTally();
    const y = new Uint8Array(1_000_000);
    const p = new Float64Array(1_000_000);
    for (let i = 0; i < y.length; i++) {
      y[i] = i % 7 === 0 ? 1 : 0;
      p[i] = ((i * 7919) % 1000) / 1000;
      tally.add(y[i] as number, p[i] as number);
    }
    expect(tally.metrics()).toEqual(binaryMetrics(y, p));
  });

  it("refuses what binaryMetrics refuses: a label other than 0 or 1, a NaN score", () => {
    const tally = new BinaryMetricsTally();
    tally.add(0, 0.2);
    expect(() => tally.add(2, 0.5)).toThrowError(/yTrue holds 2 at index 1/);
    expect(() => tally.add(1, Number.NaN)).toThrowError(/yScore is NaN at index 1/);
    expect(() => binaryMetrics([0, 2], [0.2, 0.5])).toThrowError(/yTrue holds 2 at index 1/);
  });
});
