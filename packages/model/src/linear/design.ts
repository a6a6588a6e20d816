import { ModelError } from "../errors.js";
import type { Frame } from "../frame.js";
import type { Preprocessor } from "../preprocess/preprocessor.js";
import type { SparseRows } from "./sparse-rows.js";

/**
 * The design matrix of a linear model, from the forest's preprocessing: numeric columns (and their
 * missing indicators) standardised with the training rows' mean and population standard deviation
 * (scikit-learn's `StandardScaler`), categorical codes one-hot encoded, one column per level.
 */
export class LinearDesign {
  /** Per preprocessed column: its first design column, and for numbers the mean and deviation. */
  private offsets: number[] = [];
  private mean: number[] = [];
  private sd: number[] = [];
  private categorical: boolean[] = [];
  private widths: number[] = [];
  cols = 0;

  constructor(readonly preprocessor: Preprocessor) {}

  /** A fitted design from its saved scaling (a model file's `linear` section). */
  static restore(preprocessor: Preprocessor, scaling: { mean: readonly number[]; sd: readonly number[] }): LinearDesign {
    const design = new LinearDesign(preprocessor);
    design.layout();
    if (scaling.mean.length !== design.categorical.length || scaling.sd.length !== design.categorical.length)
      throw new ModelError(`the linear design has ${design.categorical.length} columns; its saved scaling has ${scaling.mean.length}`);
    design.mean = [...scaling.mean];
    design.sd = [...scaling.sd];
    return design;
  }

  /** The scaling learned by fit: per preprocessed column, its training mean and deviation (0 and 1 for categories). */
  get scaling(): { mean: number[]; sd: number[] } {
    return { mean: [...this.mean], sd: [...this.sd] };
  }

  /**
   * Each preprocessed column's term of x·w for one preprocessed row (as `transformRecord` gives it):
   * a number's weight times its scaled value, a category's weight of its level. The log-odds are the
   * intercept plus their sum, added in this order (the order `transform` lays a row's entries out).
   */
  termsOf(row: ArrayLike<number>, w: Float64Array, into: Float64Array): Float64Array {
    for (let j = 0; j < this.categorical.length; j++) {
      const v = row[j] as number;
      const offset = this.offsets[j] as number;
      if (this.categorical[j]) {
        const code = Math.min((this.widths[j] as number) - 1, Math.max(0, Math.round(v)));
        into[j] = w[offset + code] as number;
      } else {
        const scaled = (v - (this.mean[j] as number)) / (this.sd[j] as number);
        into[j] = scaled === 0 ? 0 : scaled * (w[offset] as number);
      }
    }
    return into;
  }

  /** Learns the scaling from the given rows. */
  fit(frame: Frame, rows: Int32Array): this {
    return this.fitMatrix(this.preprocessor.transform(frame, rows));
  }

  /** `fit` on rows already preprocessed (column-major, as `preprocessor.transform` gives them). */
  fitMatrix(X: readonly Float64Array[]): this {
    this.layout();
    this.mean = [];
    this.sd = [];
    X.forEach((col, j) => {
      if (this.categorical[j]) {
        this.mean.push(0);
        this.sd.push(1);
        return;
      }
      let m = 0;
      for (const v of col) m += v;
      m /= Math.max(1, col.length);
      let v2 = 0;
      for (const v of col) v2 += (v - m) ** 2;
      this.mean.push(m);
      // A constant column scales by 1, as StandardScaler does.
      this.sd.push(Math.sqrt(v2 / Math.max(1, col.length)) || 1);
    });
    return this;
  }

  private layout(): void {
    this.categorical = [];
    this.widths = [];
    for (const s of this.preprocessor.specs) {
      if (s.kind === "numeric") {
        this.categorical.push(false);
        this.widths.push(1);
        if (s.indicator) {
          this.categorical.push(false);
          this.widths.push(1);
        }
      } else if (s.kind === "date") {
        // Each part of a date is a number of its own.
        for (const _ of s.parts) {
          this.categorical.push(false);
          this.widths.push(1);
        }
      } else {
        this.categorical.push(true);
        this.widths.push(s.levels.length);
      }
    }
    this.offsets = [];
    let at = 0;
    for (const w of this.widths) {
      this.offsets.push(at);
      at += w;
    }
    this.cols = at;
  }

  /** The design rows of the given frame rows (sparse: a one-hot block holds one entry). */
  transform(frame: Frame, rows: Int32Array): SparseRows {
    return this.transformMatrix(this.preprocessor.transform(frame, rows));
  }

  /** `transform` of rows already preprocessed. */
  transformMatrix(X: readonly Float64Array[]): SparseRows {
    const n = X[0]?.length ?? 0;
    const perRow = X.length;
    const indptr = new Int32Array(n + 1);
    const indices = new Int32Array(n * perRow);
    const values = new Float64Array(n * perRow);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < perRow; j++) {
        const v = (X[j] as Float64Array)[i] as number;
        const offset = this.offsets[j] as number;
        if (this.categorical[j]) {
          const code = Math.min((this.widths[j] as number) - 1, Math.max(0, Math.round(v)));
          indices[k] = offset + code;
          values[k++] = 1;
        } else {
          const scaled = (v - (this.mean[j] as number)) / (this.sd[j] as number);
          if (scaled === 0) continue;
          indices[k] = offset;
          values[k++] = scaled;
        }
      }
      indptr[i + 1] = k;
    }
    return { rows: n, cols: this.cols, indptr, indices: indices.slice(0, k), values: values.slice(0, k) };
  }
}
