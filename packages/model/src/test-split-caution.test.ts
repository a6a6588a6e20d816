import { describe, expect, it } from "vitest";
import { FEW_TEST_ROWS, smallTestSplit } from "./test-split-caution.js";

const base = { positiveClass: "Male", negativeClass: "Female", interval: null, crossValidated: false };

describe("smallTestSplit", () => {
  it("says how few rows the rarer class has in the test split, and what reads more", () => {
    expect(smallTestSplit({ ...base, positives: 17, negatives: 2 })).toBe(
      'the test split holds only 2 "Female" rows of 19: its figures can change a lot with the rows drawn; cross-validation reads every training row: add --cv 5',
    );
    expect(smallTestSplit({ ...base, positives: 1, negatives: 40, crossValidated: true })).toBe(
      'the test split holds only 1 "Male" row of 41: its figures can change a lot with the rows drawn; the cross-validation figures, which read every training row, say more',
    );
  });

  it("gives the interval when it says something, not a perfect separation's [1, 1]", () => {
    const interval = { level: 0.95 as const, low: 0.412, high: 0.948, se: 0.136, method: "DeLong" as const };
    expect(smallTestSplit({ ...base, positives: 6, negatives: 50, interval })).toContain("(ROC AUC 95% interval 0.41–0.95, DeLong)");
    expect(smallTestSplit({ ...base, positives: 6, negatives: 50, interval: { ...interval, low: 1, high: 1, se: 0 } })).not.toContain("interval");
  });

  it("says nothing with enough rows of each class", () => {
    expect(smallTestSplit({ ...base, positives: FEW_TEST_ROWS, negatives: 500 })).toBeNull();
    expect(smallTestSplit({ ...base, positives: FEW_TEST_ROWS - 1, negatives: 500 })).not.toBeNull();
  });
});
