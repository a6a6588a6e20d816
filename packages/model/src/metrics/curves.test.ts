import { describe, expect, it } from "vitest";
import { Random } from "../random.js";
import { averagePrecision, binaryClfCurve, precisionRecallCurve, rocAuc, rocCurve } from "./curves.js";

/** The curve by its definition: for each distinct score, highest first, the rows of each class scoring at or above it. */
function curveByDefinition(y: ArrayLike<number>, s: ArrayLike<number>) {
  const distinct = [...new Set(Array.from(s))].sort((a, b) => b - a);
  const at = (t: number, label: number) => Array.from(s).filter((v, i) => v >= t && y[i] === label).length;
  return { fps: distinct.map((t) => at(t, 0)), tps: distinct.map((t) => at(t, 1)), thresholds: distinct };
}

describe("binaryClfCurve", () => {
  it("counts each class at or above every distinct score, highest first: ties, zeros of both signs, one class only", () => {
    const random = new Random(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random.next() * 60);
      // Few distinct scores (many ties), sometimes -0 beside 0, sometimes a single class.
      const levels = 1 + Math.floor(random.next() * 8);
      const share = trial % 10 === 0 ? 0 : trial % 10 === 1 ? 1 : random.next();
      const y = Array.from({ length: n }, () => (random.next() < share ? 1 : 0));
      const s = Array.from({ length: n }, () => {
        const v = Math.floor(random.next() * levels) / levels;
        return v === 0 && random.next() < 0.5 ? -0 : v;
      });
      const got = binaryClfCurve(y, s);
      const want = curveByDefinition(y, s);
      expect(got.fps).toEqual(want.fps);
      expect(got.tps).toEqual(want.tps);
      expect(got.thresholds.map((t) => t + 0)).toEqual(want.thresholds.map((t) => t + 0));
    }
  });

  it("gives a million rows' ROC AUC as the rank formula does (Mann-Whitney U over mid-ranks)", () => {
    const random = new Random(3);
    const n = 1_000_000;
    const y = new Uint8Array(n);
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const label = random.next() < 0.3 ? 1 : 0;
      y[i] = label;
      // Rounded to 1/1000: many ties, as a forest's averaged votes have.
      s[i] = Math.round((0.6 * random.next() + 0.4 * label) * 1000) / 1000;
    }
    // U from the ranks of the tied groups: each group's rows share the mean of the ranks they span.
    const counts = new Map<number, [number, number]>();
    for (let i = 0; i < n; i++) {
      const c = counts.get(s[i] as number) ?? [0, 0];
      c[y[i] === 1 ? 1 : 0] += 1;
      counts.set(s[i] as number, c);
    }
    let below = 0;
    let rankSum = 0;
    let positives = 0;
    for (const [, [neg, pos]] of [...counts].sort((a, b) => a[0] - b[0])) {
      rankSum += pos * (below + (neg + pos + 1) / 2);
      below += neg + pos;
      positives += pos;
    }
    const auc = (rankSum - (positives * (positives + 1)) / 2) / (positives * (n - positives));
    expect(rocAuc(y, s)).toBeCloseTo(auc, 10);
  });

  it("refuses labels other than 0 and 1, NaN scores and arrays of different lengths, naming where", () => {
    expect(() => binaryClfCurve([0, 2], [0.1, 0.2])).toThrow(/yTrue holds 2 at index 1: labels are 0 or 1/);
    expect(() => binaryClfCurve([0, 1], [0.1, Number.NaN])).toThrow(/yScore is NaN at index 1/);
    expect(() => binaryClfCurve([0, 1], [0.1])).toThrow(/yTrue has 2 values and yScore 1/);
  });

  it("gives the area metrics bit for bit as summed over the drawn curves (rocCurve's trapezoids, precisionRecallCurve's steps)", () => {
    const random = new Random(5);
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + Math.floor(random.next() * 200);
      const levels = 1 + Math.floor(random.next() * (trial % 3 === 0 ? 5 : 1000));
      const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : random.next() < 0.35 ? 1 : 0));
      const s = Array.from({ length: n }, () => Math.floor(random.next() * levels) / levels);
      const { fpr, tpr } = rocCurve(y, s);
      let area = 0;
      for (let i = 1; i < fpr.length; i++) area += (((fpr[i] as number) - (fpr[i - 1] as number)) * ((tpr[i] as number) + (tpr[i - 1] as number))) / 2;
      expect(rocAuc(y, s)).toBe(area);
      const { precision, recall } = precisionRecallCurve(y, s);
      let sum = 0;
      for (let i = 0; i < recall.length - 1; i++) sum += ((recall[i + 1] as number) - (recall[i] as number)) * (precision[i] as number);
      expect(averagePrecision(y, s)).toBe(-sum);
    }
    expect(() => rocAuc([1, 1], [0.2, 0.4])).toThrow(/ROC needs both classes/);
    expect(() => rocAuc([], [])).toThrow(/ROC needs both classes/);
    expect(() => averagePrecision([0, 0], [0.2, 0.4])).toThrow(/at least one positive/);
  });
});
