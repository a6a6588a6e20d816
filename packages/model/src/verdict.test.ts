import { describe, expect, it } from "vitest";
import { verdictAgainst } from "./verdict.js";

const majority = { name: "majority class (training positive rate)", roc_auc: 0.5, log_loss: 0.58 };

describe("verdictAgainst", () => {
  it("says nothing when the model beats every baseline", () => {
    expect(
      verdictAgainst({ name: "random forest", roc_auc: 0.86, log_loss: 0.45 }, [majority, { name: "logistic regression", roc_auc: 0.85, log_loss: 0.46 }]),
    ).toEqual({
      beaten_by: [],
      message: null,
    });
  });

  it("names the baseline, both figures of each metric it wins, and what to do", () => {
    const v = verdictAgainst({ name: "random forest", roc_auc: 0.83, log_loss: 0.438 }, [
      majority,
      { name: "logistic regression (L2, C = 1)", roc_auc: 0.848, log_loss: 0.416 },
    ]);
    expect(v.beaten_by.map((b) => b.metric)).toEqual(["roc_auc", "log_loss"]);
    expect(v.message).toBe(
      "The logistic regression (L2, C = 1) beats the random forest on the test rows (ROC AUC 0.848 vs 0.830, log loss 0.416 vs 0.438): the data looks close to linear: prefer the logistic regression here, or make the forest smoother (--min-samples-leaf 5, --max-features 0.5) and compare again.",
    );
  });

  it("a difference under 0.001 is no win: 0.283 vs 0.283 is a tie", () => {
    const logistic = { name: "logistic regression (L2, C = 1)", roc_auc: 0.9529, log_loss: 0.2826 };
    expect(verdictAgainst({ name: "random forest", roc_auc: 0.9529, log_loss: 0.283 }, [majority, logistic]).message).toBeNull();
    expect(verdictAgainst({ name: "random forest", roc_auc: 0.952, log_loss: 0.2837 }, [majority, logistic]).beaten_by.map((b) => b.metric)).toEqual([
      "log_loss",
    ]);
  });

  it("a model whose probabilities are worse than the base rate is told so", () => {
    const v = verdictAgainst({ name: "random forest", roc_auc: 0.6, log_loss: 0.9 }, [majority]);
    expect(v.message).toMatch(/^The majority class .* beats the random forest on the test rows \(log loss 0\.580 vs 0\.900\): its probabilities are no better/);
  });

  describe("a separation too good to be true", () => {
    const evidence = {
      positives: 400,
      negatives: 600,
      // Matrix columns: a state's code, the latitude and its missing indicator, a date's parts.
      importance: [
        { feature: "latitude__missing", permutation_mean: 0.002 },
        { feature: "state", permutation_mean: 0.21 },
        { feature: "latitude", permutation_mean: 0.0004 },
        { feature: "seen__month", permutation_mean: 0.05 },
        { feature: "seen__days", permutation_mean: 0.08 },
        { feature: "income", permutation_mean: 0.0002 },
      ],
      columns: { latitude: "latitude", latitude__missing: "latitude", state: "state", seen__days: "seen", seen__month: "seen", income: "income" },
    };

    it("asks about leakage, naming the input columns the model leans on (a date's parts and an indicator folded into their column)", () => {
      const v = verdictAgainst({ name: "random forest", roc_auc: 0.99995, log_loss: 0.01 }, [majority], evidence);
      expect(v.beaten_by).toEqual([]);
      expect(v.message).toBe(
        "The random forest separates the 1000 test rows almost perfectly (ROC AUC 0.999950), which real data rarely allows: check that no column gives the target away (computed from it, or recorded after it is known — target leakage); it leans most on state (shuffling it costs 0.210 of ROC AUC), seen (shuffling it costs 0.080 of ROC AUC), latitude (shuffling it costs 0.002 of ROC AUC). If one leaks, drop it with --set 'etl.rules.state={\"drop\": true}' and train again.",
      );
      expect(verdictAgainst({ name: "random forest", roc_auc: 1, log_loss: 0 }, [majority], evidence).message).toMatch(
        /test rows perfectly \(ROC AUC 1\.0000\)/,
      );
    });

    it("says nothing below 0.999, or when a class has under 30 test rows (a perfect split may be luck)", () => {
      expect(verdictAgainst({ name: "random forest", roc_auc: 0.9985, log_loss: 0.05 }, [majority], evidence).message).toBeNull();
      expect(verdictAgainst({ name: "random forest", roc_auc: 1, log_loss: 0 }, [majority], { ...evidence, positives: 29 }).message).toBeNull();
      expect(verdictAgainst({ name: "random forest", roc_auc: 1, log_loss: 0 }, [majority]).message).toBeNull();
    });

    it("when no one column matters, says to look for several carrying the same answer", () => {
      const flat = { ...evidence, importance: evidence.importance.map((i) => ({ ...i, permutation_mean: 0.0005 })) };
      expect(verdictAgainst({ name: "random forest", roc_auc: 1, log_loss: 0 }, [majority], flat).message).toContain(
        "target leakage); no single column matters to it on its own (shuffling any one costs under 0.001 of ROC AUC), so look for several that carry the same answer — or the problem is that easy.",
      );
    });
  });
});
