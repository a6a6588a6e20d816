import { ModelError } from "../errors.js";
import { LogisticObjective, sigmoid } from "./objective.js";
import { lbfgs, newton } from "./solvers.js";
import { linearScores, type SparseRows } from "./sparse-rows.js";

export interface LogisticRegressionParams {
  /** Inverse of the L2 penalty's strength, as scikit-learn's `C` (default 1). */
  C?: number;
  /** "balanced" weighs each class by n / (2 · its count), as scikit-learn's `class_weight="balanced"`. */
  classWeight?: "balanced" | null;
  /** Most solver iterations (default 200 for Newton, 5,000 for L-BFGS). */
  maxIter?: number;
  /** Convergence: largest gradient entry ≤ tol × (1 + loss) (default 1e-10). */
  tol?: number;
  /** "auto" (default): Newton when its Hessian is cheap, L-BFGS otherwise. */
  solver?: "auto" | "newton" | "lbfgs";
}

/** Above this many flops a Hessian is not worth it: L-BFGS's cheap steps win. */
const NEWTON_BUDGET = 4e8;

/**
 * Binary logistic regression with an L2 penalty, the same model and objective as scikit-learn's
 * `LogisticRegression(penalty="l2", C=1.0)`: minimises Σᵢ sᵢ·logloss(yᵢ, σ(xᵢ·w + b)) + ‖w‖²/(2C), the
 * intercept unpenalised. Solved to the optimum (not to scikit-learn's looser default tolerance), so the
 * coefficients equal scikit-learn's exact solution to about 1e-8; deterministic (zero start).
 *
 * @example
 * const lr = new LogisticRegression({ C: 1 }).fit(sparseFromDense([[0], [1], [2], [3]]), Uint8Array.from([0, 0, 1, 1]));
 * lr.predictProba(sparseFromDense([[1.5]])); // ≈ [0.5]
 */
export class LogisticRegression {
  readonly C: number;
  readonly classWeight: "balanced" | null;
  readonly maxIter: number | undefined;
  readonly tol: number;
  readonly solver: "auto" | "newton" | "lbfgs";
  coef = new Float64Array(0);
  intercept = 0;
  /** What the fit did: the solver used, its iterations, whether it converged. */
  fitInfo: { solver: "newton" | "lbfgs"; iterations: number; converged: boolean; gradientNorm: number } | undefined;

  constructor(params: LogisticRegressionParams = {}) {
    this.C = params.C ?? 1;
    this.classWeight = params.classWeight ?? null;
    this.maxIter = params.maxIter;
    this.tol = params.tol ?? 1e-10;
    this.solver = params.solver ?? "auto";
    if (!(this.C > 0 && Number.isFinite(this.C))) throw new ModelError(`C must be a positive number (got ${this.C})`);
  }

  fit(X: SparseRows, y: Uint8Array): this {
    if (X.rows !== y.length) throw new ModelError(`X has ${X.rows} rows but y has ${y.length}`);
    let positives = 0;
    for (const v of y) positives += v;
    if (positives === 0 || positives === y.length) throw new ModelError("logistic regression needs both classes among the training rows");
    const weights = new Float64Array(y.length).fill(1);
    if (this.classWeight === "balanced") {
      const w1 = y.length / (2 * positives);
      const w0 = y.length / (2 * (y.length - positives));
      for (let i = 0; i < y.length; i++) weights[i] = y[i] ? w1 : w0;
    }
    const f = new LogisticObjective(X, y, weights, this.C);
    const kind = this.solver === "auto" ? (f.hessianCost() <= NEWTON_BUDGET ? "newton" : "lbfgs") : this.solver;
    const r = kind === "newton" ? newton(f, { maxIter: this.maxIter ?? 200, tol: this.tol }) : lbfgs(f, { maxIter: this.maxIter ?? 5000, tol: this.tol });
    this.coef = r.theta.slice(0, X.cols);
    this.intercept = r.theta[X.cols] as number;
    this.fitInfo = { solver: kind, iterations: r.iterations, converged: r.converged, gradientNorm: r.gradientNorm };
    return this;
  }

  /** xᵢ·w + b for every row (log-odds of the positive class). */
  decisionFunction(X: SparseRows): Float64Array {
    if (X.cols !== this.coef.length) throw new ModelError(`X has ${X.cols} columns; the model was fitted on ${this.coef.length}`);
    return linearScores(X, this.coef, this.intercept);
  }

  /** P(y = 1) for every row. */
  predictProba(X: SparseRows): Float64Array {
    const z = this.decisionFunction(X);
    for (let i = 0; i < z.length; i++) z[i] = sigmoid(z[i] as number);
    return z;
  }
}
