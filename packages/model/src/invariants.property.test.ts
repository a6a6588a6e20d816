import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RandomForestClassifier } from "./forest/forest.js";
import { confusionMatrix, labelsAt } from "./metrics/confusion.js";
import { rocAuc } from "./metrics/curves.js";
import { binaryMetrics } from "./metrics/evaluate.js";

const labelsWithBoth = fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 2, maxLength: 60 }).filter((y) => y.includes(0) && y.includes(1));

describe("metric invariants (property)", () => {
  it("a perfect ranking has AUC 1, its reverse 0; the confusion matrix sums to n", () => {
    fc.assert(
      fc.property(labelsWithBoth, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (y, threshold) => {
        const perfect = y.map((v, i) => v * 2 + i / (10 * y.length));
        expect(rocAuc(y, perfect)).toBe(1);
        expect(
          rocAuc(
            y,
            perfect.map((s) => -s),
          ),
        ).toBe(0);
        const scores = y.map((_, i) => ((i * 37) % 101) / 100);
        const cm = confusionMatrix(y, labelsAt(scores, threshold));
        expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(y.length);
        const m = binaryMetrics(y, scores, threshold);
        for (const k of ["accuracy", "precision", "recall", "f1", "roc_auc", "balanced_accuracy", "average_precision"] as const) {
          // Sums of floats may land one ulp past the bound, as scikit-learn's do.
          expect(m[k]).toBeGreaterThanOrEqual(-1e-12);
          expect(m[k]).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect(Math.abs(m.mcc)).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });
});

describe("predictions (property)", () => {
  const X = [Float64Array.from({ length: 300 }, (_, i) => (i * 7) % 31), Float64Array.from({ length: 300 }, (_, i) => (i * 13) % 17)] as const;
  const y = Uint8Array.from({ length: 300 }, (_, i) => ((X[0][i] as number) + (X[1][i] as number) > 22 ? 1 : 0));
  const rf = new RandomForestClassifier({ nEstimators: 15, seed: 1 }).fit(X, y);
  it("are deterministic and lie in [0, 1] for any input, including far outside the training range", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ noNaN: true, min: -1e300, max: 1e300 }), fc.double({ noNaN: true, min: -1e300, max: 1e300 })), {
          minLength: 1,
          maxLength: 30,
        }),
        (rows) => {
          const cols = [Float64Array.from(rows, (r) => r[0]), Float64Array.from(rows, (r) => r[1])];
          const a = rf.predictProba(cols);
          const b = rf.predictProba(cols);
          expect(a).toEqual(b);
          for (const p of a) expect(p >= 0 && p <= 1).toBe(true);
        },
      ),
      { numRuns: 200, seed: 20261129 },
    );
  });
});
