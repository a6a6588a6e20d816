import { describe, expect, it } from "vitest";
import { Random } from "../random.js";
import { LogisticRegression } from "./logistic-regression.js";
import { sparseFromDense } from "./sparse-rows.js";

function synthetic(n: number, p: number, seed: number) {
  const r = new Random(seed);
  const truth = Array.from({ length: p }, () => r.next() * 2 - 1);
  const rows: number[][] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: p }, () => r.next() * 2 - 1);
    const z = x.reduce((s, v, j) => s + v * (truth[j] as number), 0.3);
    y[i] = r.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    rows.push(x);
  }
  return { X: sparseFromDense(rows), y };
}

describe("LogisticRegression", () => {
  it("puts the gradient of the penalised loss at zero (the optimum, not an early stop)", () => {
    const { X, y } = synthetic(400, 6, 1);
    const lr = new LogisticRegression({ C: 0.5 }).fit(X, y);
    // ∂/∂w_j: Σ (p − y) x_j + w_j / C; ∂/∂b: Σ (p − y).
    const p = lr.predictProba(X);
    const grad = new Float64Array(7);
    for (let i = 0; i < X.rows; i++) {
      const r = (p[i] as number) - (y[i] as number);
      for (let k = X.indptr[i] as number; k < (X.indptr[i + 1] as number); k++) {
        const j = X.indices[k] as number;
        grad[j] = (grad[j] as number) + r * (X.values[k] as number);
      }
      grad[6] = (grad[6] as number) + r;
    }
    for (let j = 0; j < 6; j++) grad[j] = (grad[j] as number) + (lr.coef[j] as number) / 0.5;
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-7);
  });

  it("reaches the same optimum with Newton and with L-BFGS", () => {
    const { X, y } = synthetic(300, 40, 2);
    const a = new LogisticRegression({ solver: "newton" }).fit(X, y);
    const b = new LogisticRegression({ solver: "lbfgs" }).fit(X, y);
    expect(a.fitInfo?.solver).toBe("newton");
    expect(b.fitInfo?.solver).toBe("lbfgs");
    expect(b.fitInfo?.converged).toBe(true);
    for (let j = 0; j < 40; j++) expect(Math.abs((a.coef[j] as number) - (b.coef[j] as number))).toBeLessThan(1e-6);
    expect(Math.abs(a.intercept - b.intercept)).toBeLessThan(1e-6);
  });

  it("chooses L-BFGS for wide dense data, where a Hessian would cost too much", () => {
    const { X, y } = synthetic(1200, 700, 3);
    const lr = new LogisticRegression().fit(X, y);
    expect(lr.fitInfo?.solver).toBe("lbfgs");
    expect(lr.fitInfo?.converged).toBe(true);
  });

  it("stays finite on separable data (the penalty bounds the weights)", () => {
    const X = sparseFromDense([[-2], [-1], [1], [2]]);
    const lr = new LogisticRegression().fit(X, Uint8Array.from([0, 0, 1, 1]));
    expect(Number.isFinite(lr.coef[0])).toBe(true);
    const p = lr.predictProba(X);
    expect(p[0]).toBeLessThan(0.5);
    expect(p[3]).toBeGreaterThan(0.5);
  });

  it("weighs classes as scikit-learn's class_weight='balanced' does: like repeating the rare rows", () => {
    const X = sparseFromDense([[0], [0.5], [1], [1.5], [2], [3]]);
    const y = Uint8Array.from([0, 0, 0, 0, 1, 1]);
    const balanced = new LogisticRegression({ classWeight: "balanced" }).fit(X, y);
    // n / (2 · count): 6/8 for class 0 and 6/4 for class 1 — the same optimum as the rows repeated
    // 3 times (class 0) and 6 times (class 1), with C divided by 4 so the penalty keeps its share.
    const repeated = sparseFromDense([...[[0], [0.5], [1], [1.5]].flatMap((r) => [r, r, r]), ...[[2], [3]].flatMap((r) => [r, r, r, r, r, r])]);
    const yr = Uint8Array.from([...new Array(12).fill(0), ...new Array(12).fill(1)]);
    const plain = new LogisticRegression({ C: 0.25 }).fit(repeated, yr);
    expect(Math.abs((balanced.coef[0] as number) - (plain.coef[0] as number))).toBeLessThan(1e-8);
    expect(Math.abs(balanced.intercept - plain.intercept)).toBeLessThan(1e-8);
  });

  it("refuses one-class data and mismatched shapes with a ModelError", () => {
    expect(() => new LogisticRegression().fit(sparseFromDense([[1], [2]]), Uint8Array.from([1, 1]))).toThrow(/both classes/);
    expect(() => new LogisticRegression().fit(sparseFromDense([[1], [2]]), Uint8Array.from([1]))).toThrow(/rows/);
    expect(() => new LogisticRegression({ C: 0 })).toThrow(/C must be/);
  });
});
