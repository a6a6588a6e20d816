import type { AucInterval } from "./metrics/auc-interval.js";

/**
 * Test rows of the rarer class below which the test split's figures are said to be few: a handful, whose
 * draw decides the ROC AUC (la-riots: 2 of 19). Heart's 29 of 64 give an interval of ±0.07, which says
 * enough on its own (shown with the figures), and a warning on every run of a 300-row file would be noise.
 */
export const FEW_TEST_ROWS = 10;

/** What the caution needs of the test split. */
export interface TestSplitCounts {
  positives: number;
  negatives: number;
  positiveClass: string;
  negativeClass: string;
  /** The ROC AUC's confidence interval on the test rows (rocAucInterval), when it has one. */
  interval: AucInterval | null;
  /** Cross-validation figures are in the metrics already (`--cv K`). */
  crossValidated: boolean;
}

const fmt = (x: number) => x.toFixed(2);

/**
 * One sentence when the test split holds fewer than FEW_TEST_ROWS rows of a class: its figures then move a
 * lot with which rows the split drew (a ROC AUC from 2 × 17 pairs can read 1.000), so the reader is told
 * how few, the interval when it says something (not a perfect separation's [1, 1]), and that
 * cross-validation reads every row. Null for a split with enough rows of each class.
 */
export function smallTestSplit(t: TestSplitCounts): string | null {
  const rarer = t.positives <= t.negatives ? { count: t.positives, label: t.positiveClass } : { count: t.negatives, label: t.negativeClass };
  if (rarer.count >= FEW_TEST_ROWS) return null;
  const total = t.positives + t.negatives;
  const interval = t.interval && t.interval.se > 0 ? ` (ROC AUC 95% interval ${fmt(t.interval.low)}–${fmt(t.interval.high)}, DeLong)` : "";
  const instead = t.crossValidated
    ? "the cross-validation figures, which read every training row, say more"
    : "cross-validation reads every training row: add --cv 5";
  return `the test split holds only ${rarer.count} "${rarer.label}" row${rarer.count === 1 ? "" : "s"} of ${total}: its figures can change a lot with the rows drawn${interval}; ${instead}`;
}
