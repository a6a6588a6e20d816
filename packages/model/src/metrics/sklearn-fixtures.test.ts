import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../../test-support/index.js";
import { labelsAt } from "./confusion.js";
import { calibrationCurve, precisionRecallCurve, rocCurve } from "./curves.js";
import { binaryMetrics } from "./evaluate.js";
import { formatFixed } from "./format.js";
import { classificationReport } from "./report.js";
import { METRICS } from "./table.js";

// Reference values from scikit-learn 1.2.1 (test-support/fixtures/metrics.json).
const path = join(FIXTURES, "metrics.json");
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
const fixture = JSON.parse(readFileSync(path, "utf8")) as { cases: any[] };
const TOL = 1e-12;

describe.each(fixture.cases)("$name matches scikit-learn", (c) => {
  const m = binaryMetrics(c.y_true, c.y_score, c.threshold);
  // Every metric of the table, against the scikit-learn function it names (a new metric needs its fixture value).
  it.each(METRICS.map((d) => [d.name, d.reference]))("%s (%s)", (key) => {
    expect(c[key], `the fixture has no ${key}: add it to make_fixtures.py`).toEqual(expect.any(Number));
    expect(Math.abs(m[key] - c[key])).toBeLessThanOrEqual(TOL);
  });
  it("confusion matrix", () => {
    expect(m.confusion_matrix).toEqual(c.confusion_matrix);
  });
  it("classification report text, character for character", () => {
    expect(classificationReport(c.y_true, labelsAt(c.y_score, c.threshold), { digits: 4 })).toBe(c.classification_report);
  });
  it("ROC curve (drop_intermediate) with thresholds", () => {
    const r = rocCurve(c.y_true, c.y_score);
    expect(r.fpr.length).toBe(c.roc_curve.fpr.length);
    r.fpr.forEach((v, i) => void expect(Math.abs(v - c.roc_curve.fpr[i])).toBeLessThanOrEqual(TOL));
    r.tpr.forEach((v, i) => void expect(Math.abs(v - c.roc_curve.tpr[i])).toBeLessThanOrEqual(TOL));
    r.thresholds.forEach((v, i) => void expect(Math.abs(v - c.roc_curve.thresholds[i])).toBeLessThanOrEqual(TOL));
  });
  it("precision-recall curve", () => {
    const r = precisionRecallCurve(c.y_true, c.y_score);
    expect(r.precision.length).toBe(c.pr_curve.precision.length);
    r.precision.forEach((v, i) => void expect(Math.abs(v - c.pr_curve.precision[i])).toBeLessThanOrEqual(TOL));
    r.recall.forEach((v, i) => void expect(Math.abs(v - c.pr_curve.recall[i])).toBeLessThanOrEqual(TOL));
    r.thresholds.forEach((v, i) => void expect(Math.abs(v - c.pr_curve.thresholds[i])).toBeLessThanOrEqual(TOL));
  });
});

describe("formatFixed writes like Python's format()", () => {
  it("rounds exact binary ties to even, as Python does", () => {
    expect(formatFixed(0.90625, 4)).toBe("0.9062");
    expect(formatFixed(0.90675, 4)).toBe((0.90675).toFixed(4));
    expect(formatFixed(0.5, 0)).toBe("0");
    expect(formatFixed(1.5, 0)).toBe("2");
    expect(formatFixed(0.125, 2)).toBe("0.12");
    expect(formatFixed(0.375, 2)).toBe("0.38");
    expect(formatFixed(-0.125, 2)).toBe("-0.12");
  });
});

describe("calibration curve", () => {
  it("bins like scikit-learn's uniform strategy (a value on an edge goes to the lower bin)", () => {
    const c = calibrationCurve([0, 1, 1, 0, 1, 0], [0.1, 0.1, 0.55, 0.6, 0.95, 0.6000000000000001], 10);
    expect(c.probPred).toEqual([0.1, (0.55 + 0.6 + 0.6000000000000001) / 3, 0.95]);
    expect(c.probTrue).toEqual([0.5, 1 / 3, 1]);
    expect(c.counts).toEqual([2, 3, 1]);
  });
});
