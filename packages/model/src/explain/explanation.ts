import { ModelError } from "../errors.js";
import type { PackedForest } from "../forest/packed.js";
import { explainPackedParallel } from "../forest/score-pool.js";
import type { RawRecord } from "../frame.js";
import type { LinearModel } from "../linear/linear-model.js";
import { specWidth } from "../preprocess/preprocessor.js";
import type { ColumnSpec } from "../preprocess/spec.js";
import { type TreeExplainer, treeExplainer } from "./tree-shap.js";

/** One input column's share of a prediction. */
export interface Contribution {
  /** The input column (a numeric column's missing indicator is folded into it). */
  column: string;
  /** The record's value as given (null when missing: the model used its imputed value). */
  value: number | string | boolean | null;
  /** How much knowing this column moved the score from the base value (positive: towards the positive class). */
  contribution: number;
}

/**
 * Why the model scored a record as it did: exact Shapley values (TreeSHAP) of the model's score — a
 * forest's mean of its trees' votes for the positive class, boosted trees' log-odds. `base_value + Σ contribution = score` to
 * rounding; with `top`, the columns left out hold the rest of the sum (`rest`). When the model is
 * calibrated, its probability is a monotone function of the score: the contributions order and sign
 * the reasons exactly, in the score's units.
 */
export interface Explanation {
  /** The expected score over the training rows: the score of a record nothing is known about. */
  base_value: number;
  /** The model's score for this record: a forest's mean tree vote, boosted trees' log-odds (the probability is its sigmoid). */
  score: number;
  /** Contributions, largest magnitude first (ties in column order). */
  contributions: Contribution[];
  /** The sum of the contributions left out by `top` (0 when every column is listed). */
  rest: number;
}

export interface ExplainOptions {
  /** Only the k columns with the largest contributions (all when absent). */
  top?: number;
}

function checkTop(options: ExplainOptions): number | undefined {
  const top = options.top;
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw new ModelError(`top must be a whole number ≥ 1 (got ${top})`);
  return top;
}

/** Matrix column → input column (player) for the preprocessing's specs: a missing indicator belongs to its column, a date's parts to their date. */
export function playersOf(specs: readonly ColumnSpec[]): Int32Array {
  const players: number[] = [];
  specs.forEach((s, i) => {
    for (let k = specWidth(s); k > 0; k--) players.push(i);
  });
  return Int32Array.from(players);
}

/**
 * What explains one model's preprocessed rows: the base value, one row or a matrix of rows at a time,
 * in the model's score units (`offset + scale × raw`, raw being what `PipeModel.probabilityOf` takes).
 */
export abstract class ModelExplainer {
  readonly playerOf: Int32Array;
  protected readonly phi: Float64Array;

  constructor(
    protected readonly specs: readonly ColumnSpec[],
    /** The score is offset + scale × raw: 1 and 0 for a forest's mean vote and for log-odds, trees and intercept for boosted trees' mean leaf value. */
    readonly scale: number,
    readonly offset: number,
  ) {
    this.playerOf = playersOf(specs);
    this.phi = new Float64Array(specs.length);
  }

  /** Input columns explained: one contribution each. */
  get players(): number {
    return this.specs.length;
  }

  abstract get baseValue(): number;

  /** Writes one row's contributions (raw units, one per input column) into `phi` and returns its raw score. */
  protected abstract explainInto(row: ArrayLike<number>, phi: Float64Array): number;

  /**
   * Every row of a preprocessed column-major matrix: `players + 1` numbers per row, the contributions
   * (raw units) then the raw score; on worker threads as well as this one where that pays.
   */
  abstract explainMatrix(X: readonly Float64Array[], threads?: number): Promise<Float64Array>;

  /** The explanation of one preprocessed row of `record`. */
  explain(row: ArrayLike<number>, record: RawRecord, options: ExplainOptions = {}): Explanation {
    return this.explainWithMean(row, record, options).explanation;
  }

  /** `explain`, and the raw score the explanation's score comes from (what `PipeModel.probabilityOf` takes). */
  explainWithMean(row: ArrayLike<number>, record: RawRecord, options: ExplainOptions = {}): { explanation: Explanation; mean: number } {
    checkTop(options);
    const mean = this.explainInto(row, this.phi);
    return { explanation: this.explanationOf(this.phi, mean, record, options), mean };
  }

  /** The explanation of `record` from its contributions (one per input column, raw units) and raw score. */
  explanationOf(phi: ArrayLike<number>, score: number, record: RawRecord, options: ExplainOptions = {}): Explanation {
    const top = checkTop(options);
    const order = Array.from(this.specs, (_, i) => i).sort((a, b) => Math.abs(phi[b] as number) - Math.abs(phi[a] as number) || a - b);
    const kept = top === undefined ? order : order.slice(0, top);
    let rest = 0;
    for (let k = kept.length; k < order.length; k++) rest += phi[order[k] as number] as number;
    const k = this.scale;
    return {
      base_value: this.baseValue,
      score: this.offset + k * score,
      contributions: kept.map((i) => {
        const name = (this.specs[i] as ColumnSpec).name;
        const raw = record[name];
        const value = raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "") ? null : (raw as number | string | boolean);
        return { column: name, value, contribution: k * (phi[i] as number) };
      }),
      rest: k * rest,
    };
  }
}

/** Explains a tree model's preprocessed rows by TreeSHAP (one explainer, built once). */
export class ForestExplainer extends ModelExplainer {
  readonly shap: TreeExplainer;

  constructor(
    readonly forest: PackedForest,
    specs: readonly ColumnSpec[],
    output: { scale: number; offset: number } = { scale: 1, offset: 0 },
  ) {
    super(specs, output.scale, output.offset);
    this.shap = treeExplainer(forest, this.playerOf, specs.length);
  }

  get baseValue(): number {
    return this.offset + this.scale * this.shap.baseValue;
  }

  protected explainInto(row: ArrayLike<number>, phi: Float64Array): number {
    return this.shap.explainRow(row, phi);
  }

  explainMatrix(X: readonly Float64Array[], threads?: number): Promise<Float64Array> {
    return explainPackedParallel(this.forest, this.shap, this.playerOf, X, threads);
  }
}

/** Explains a logistic regression's rows in log-odds: each column's term minus its training mean (exact for a sum of one-column terms). */
export class LinearExplainer extends ModelExplainer {
  constructor(
    private readonly linear: LinearModel,
    specs: readonly ColumnSpec[],
  ) {
    super(specs, 1, 0);
  }

  get baseValue(): number {
    return this.linear.baseValue;
  }

  protected explainInto(row: ArrayLike<number>, phi: Float64Array): number {
    return this.linear.explainRow(row, this.playerOf, phi);
  }

  async explainMatrix(X: readonly Float64Array[]): Promise<Float64Array> {
    const n = X[0]?.length ?? 0;
    const width = this.players + 1;
    const out = new Float64Array(n * width);
    const row = new Float64Array(X.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < X.length; j++) row[j] = (X[j] as Float64Array)[i] as number;
      const phi = out.subarray(i * width, i * width + this.players);
      out[i * width + this.players] = this.linear.explainRow(row, this.playerOf, phi);
    }
    return out;
  }
}
