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

  it("a model whose probabilities are worse than the base rate is told so", () => {
    const v = verdictAgainst({ name: "random forest", roc_auc: 0.6, log_loss: 0.9 }, [majority]);
    expect(v.message).toMatch(/^The majority class .* beats the random forest on the test rows \(log loss 0\.580 vs 0\.900\): its probabilities are no better/);
  });
});
