import { ModelError } from "../errors.js";
import type { Frame } from "../frame.js";
import type { Preprocessor } from "../preprocess/preprocessor.js";
import { LinearDesign } from "./design.js";
import { LogisticRegression } from "./logistic-regression.js";
import { sigmoid } from "./objective.js";

/** What a saved logistic regression holds beside the preprocessing (the model file's `linear` section). */
export interface LinearState {
  /** scikit-learn's `C` (inverse L2 strength) and class weighting the model was fitted with. */
  C: number;
  class_weight: "balanced" | null;
  intercept: number;
  /** One weight per design column: a number's (scaled), or one per level of a category. */
  coef: number[];
  /** Per preprocessed column: the training mean and population deviation its values are scaled by (0 and 1 for categories). */
  mean: number[];
  sd: number[];
  /** Per preprocessed column: the mean of its term over the training rows (what a column contributes when nothing is known of it). */
  expected: number[];
  /** Per preprocessed column: mean |term − expected| over the training rows, normalised to sum 1. */
  importances: number[];
  /** The solver's report: which, its iterations, whether it reached the optimum. */
  fit: { solver: "newton" | "lbfgs"; iterations: number; converged: boolean };
}

/**
 * A logistic regression over the forest's preprocessing (numbers standardised, categories one-hot; see
 * LinearDesign), as a model to save and serve: log-odds = intercept + Σ one term per preprocessed
 * column. Being a sum of one-column terms, its exact Shapley values (interventional, over the training
 * rows, as shap's LinearExplainer computes them) are each term minus its training mean: they add up to
 * the log-odds with the base value intercept + Σ expected.
 *
 * @example
 * const linear = LinearModel.fit(preprocessor, frame, trainRows, y);
 * linear.logOdds(preprocessor.transformRecord({ tenure: 2, Contract: "Month-to-month" }));
 */
export class LinearModel {
  private readonly w: Float64Array;
  private readonly terms: Float64Array;

  constructor(
    readonly design: LinearDesign,
    readonly state: LinearState,
  ) {
    if (state.coef.length !== design.cols)
      throw new ModelError(`the logistic regression has ${state.coef.length} weights; its design has ${design.cols} columns`);
    this.w = Float64Array.from(state.coef);
    this.terms = new Float64Array(state.mean.length);
  }

  /** Fits `LogisticRegression` (scikit-learn's, solved to its optimum) on the design of the given rows. */
  static fit(
    preprocessor: Preprocessor,
    frame: Frame,
    rows: Int32Array,
    y: Uint8Array,
    options: { C?: number; classWeight?: "balanced" | null } = {},
  ): LinearModel {
    // The training rows are preprocessed once: the scaling, the design and the expectations all read them.
    const X = preprocessor.transform(frame, rows);
    const design = new LinearDesign(preprocessor).fitMatrix(X);
    const lr = new LogisticRegression({ C: options.C ?? 1, classWeight: options.classWeight ?? null }).fit(
      design.transformMatrix(X),
      Uint8Array.from(rows, (i) => y[i] as number),
    );
    const { mean, sd } = design.scaling;
    const info = lr.fitInfo as NonNullable<LogisticRegression["fitInfo"]>;
    const model = new LinearModel(design, {
      C: lr.C,
      class_weight: lr.classWeight,
      intercept: lr.intercept,
      coef: Array.from(lr.coef),
      mean,
      sd,
      expected: new Array(mean.length).fill(0),
      importances: new Array(mean.length).fill(0),
      fit: { solver: info.solver, iterations: info.iterations, converged: info.converged },
    });
    model.learnExpectations(X);
    return model;
  }

  /** The terms' training means (the explanation's base), then their mean spread around them (the importances): two passes, no copy of the terms. */
  private learnExpectations(X: readonly Float64Array[]): void {
    const n = X[0]?.length ?? 0;
    const width = this.state.mean.length;
    const row = new Float64Array(width);
    const sum = new Float64Array(width);
    const spread = new Float64Array(width);
    const eachRow = (visit: (j: number, term: number) => void) => {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < width; j++) row[j] = (X[j] as Float64Array)[i] as number;
        this.design.termsOf(row, this.w, this.terms);
        for (let j = 0; j < width; j++) visit(j, this.terms[j] as number);
      }
    };
    eachRow((j, t) => {
      sum[j] = (sum[j] as number) + t;
    });
    const expected = Array.from(sum, (s) => s / Math.max(1, n));
    eachRow((j, t) => {
      spread[j] = (spread[j] as number) + Math.abs(t - (expected[j] as number));
    });
    const total = spread.reduce((a, b) => a + b, 0);
    this.state.expected = expected;
    this.state.importances = Array.from(spread, (s) => (total > 0 ? s / total : 0));
  }

  /** The log-odds of one preprocessed row. */
  logOdds(row: ArrayLike<number>): number {
    this.design.termsOf(row, this.w, this.terms);
    let z = this.state.intercept;
    for (const t of this.terms) z += t;
    return z;
  }

  /** The log-odds of every row of a preprocessed column-major matrix. */
  logOddsOf(X: readonly Float64Array[]): Float64Array {
    const n = X[0]?.length ?? 0;
    const row = new Float64Array(X.length);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < X.length; j++) row[j] = (X[j] as Float64Array)[i] as number;
      out[i] = this.logOdds(row);
    }
    return out;
  }

  /** P(positive) of every row of a preprocessed matrix. */
  predictProba(X: readonly Float64Array[]): Float64Array {
    return this.logOddsOf(X).map(sigmoid);
  }

  /** The log-odds before anything is known of a record: intercept + Σ expected terms. */
  get baseValue(): number {
    let z = this.state.intercept;
    for (const e of this.state.expected) z += e;
    return z;
  }

  /**
   * Exact Shapley values of one preprocessed row, summed per player (`playerOf`: preprocessed column →
   * input column) into `phi`; returns the row's log-odds. base + Σ phi = log-odds to rounding.
   */
  explainRow(row: ArrayLike<number>, playerOf: Int32Array, phi: Float64Array): number {
    phi.fill(0);
    const z = this.logOdds(row);
    for (let j = 0; j < this.terms.length; j++) {
      const p = playerOf[j] as number;
      phi[p] = (phi[p] as number) + (this.terms[j] as number) - (this.state.expected[j] as number);
    }
    return z;
  }
}
