import { type CellBatch, type CellOutcome, CellOutcomes } from "./cell-outcomes.js";
import { FeatureError } from "./errors.js";
import type { PipeModel } from "./model.js";

/** A batch's scores, column by column: nothing per row but the warnings a row has. */
export interface CellScores {
  /** P(positive) per row; NaN for a row that could not be scored. */
  probability: Float64Array;
  /** 1 for the positive class; 0 otherwise, and for a row that could not be scored. */
  prediction: Uint8Array;
  /** A row's warnings (as `Prediction.warnings`); undefined for a row with none. */
  warnings: (string[] | undefined)[];
  /** Why a row could not be scored, by its index in the batch. */
  errors: Map<number, string>;
}

/** What a batch of cells becomes before the trees see it. */
export interface EncodedCells {
  /** Rows in the batch. */
  rows: number;
  X: Float64Array[];
  /** Batch index of each matrix row (the rows that could be encoded). */
  rowOf: Int32Array;
  warnings: (string[] | undefined)[];
  errors: Map<number, string>;
  /** Hands the matrix back to its encoder once scored (`scoreEncoded` does), for a later batch. */
  release?: () => void;
}

/** The message for a row whose cells of the model's columns are all missing. */
export const NO_FIELDS = "the row has none of the model's fields";

/**
 * Scores rows of a table given as their cells (a CSV's fields, an engine's text columns) with the
 * results of `PipeModel.predictEachAsync` on the records those rows make: each of the model's
 * columns trimmed, a missing token read as missing, other columns ignored. No record, prediction or
 * warning array is built per row, which is what a stream of millions of rows spends its time on.
 *
 * @example
 * const model = PipeModel.parse(readFileSync("model.json"));
 * const scorer = new CellScorer(model, ["age", "sex", "city"], new Set(["", "NA"]));
 * const { probability, prediction, errors } = await scorer.score([["39", "female", "Leeds"]]);
 */
export class CellScorer {
  /** Per preprocessing spec, the column holding its value (-1: the table has none). */
  private readonly pick: Int32Array;
  /** Columns holding one of the model's fields (a row needs one of them present). */
  private readonly used: Int32Array;
  /** The label of prediction 0 and of prediction 1. */
  readonly labels: readonly [string, string];

  constructor(
    private readonly model: PipeModel,
    private readonly columns: readonly string[],
    private readonly missing: ReadonlySet<string>,
  ) {
    // The last column of a name wins, as it does when a row becomes a record.
    const last = new Map(columns.map((c, j) => [c, j]));
    this.pick = Int32Array.from(model.preprocessor.specs, (s) => last.get(s.name) ?? -1);
    const fields = new Set(model.inputFields.features.map((f) => f.name));
    this.used = Int32Array.from(columns.flatMap((c, j) => (fields.has(c) ? [j] : [])));
    const positive = model.state.positiveClass;
    this.labels = [model.state.classes.find((c) => c !== positive) as string, positive];
  }

  /**
   * The rows' scores, the trees walked by this thread and the scoring workers. `meanwhile` is this
   * thread's other work (reading the next batch, writing the last), done while the workers score.
   */
  score(rows: readonly (readonly string[])[], options: { threads?: number; meanwhile?: () => void | Promise<void> } = {}): Promise<CellScores> {
    return this.scoreEncoded(this.encode(rows), options);
  }

  /** `score` in two steps: the rows encoded (on this thread), then scored; a stream encodes batch k+1 while batch k is scored. */
  async scoreEncoded(encoded: EncodedCells, options: { threads?: number; meanwhile?: () => void | Promise<void> } = {}): Promise<CellScores> {
    const { X, rowOf, rows, warnings, errors } = encoded;
    const scored = await this.model.predictProbaAsync(X, options);
    encoded.release?.();
    const probability = new Float64Array(rows).fill(Number.NaN);
    const prediction = new Uint8Array(rows);
    const threshold = this.model.state.threshold;
    for (let k = 0; k < rowOf.length; k++) {
      const i = rowOf[k] as number;
      const p = scored[k] as number;
      probability[i] = p;
      prediction[i] = p >= threshold ? 1 : 0;
    }
    return { probability, prediction, warnings, errors };
  }

  /** The rows' preprocessed matrix, and what stopped the rows it leaves out. */
  encode(rows: readonly (readonly string[])[]): EncodedCells {
    const pre = this.model.preprocessor;
    const width = pre.outputWidth;
    const X = Array.from({ length: width }, () => new Float64Array(rows.length));
    const rowOf = new Int32Array(rows.length);
    const warnings: (string[] | undefined)[] = new Array(rows.length).fill(undefined);
    const errors = new Map<number, string>();
    const values: (string | undefined)[] = new Array(this.pick.length).fill(undefined);
    const row = new Float64Array(width);
    const w: string[] = [];
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      const cells = rows[i] as readonly string[];
      if (!this.anyPresent(cells)) {
        errors.set(i, NO_FIELDS);
        continue;
      }
      for (let s = 0; s < this.pick.length; s++) {
        const j = this.pick[s] as number;
        values[s] = j < 0 ? undefined : this.cell(cells, j);
      }
      w.length = 0;
      try {
        pre.transformValues(values, row, w);
      } catch (error) {
        if (!(error instanceof FeatureError)) throw error;
        errors.set(i, error.message);
        continue;
      }
      for (let f = 0; f < width; f++) (X[f] as Float64Array)[n] = row[f] as number;
      if (w.length > 0) warnings[i] = [...w];
      rowOf[n++] = i;
    }
    return { X: n === rows.length ? X : X.map((col) => col.subarray(0, n)), rowOf: rowOf.subarray(0, n), rows: rows.length, warnings, errors };
  }

  /**
   * `encode` for rows given as value ids (a CSV read as bytes, see CellBatch), whose column `j`'s
   * value `id` reads `valueText(j, id)`: the same matrix, warnings and errors as `encode` on the
   * rows' text, each column's distinct values decided once (CellOutcomes) instead of every cell.
   */
  batchEncoder(valueText: (column: number, id: number) => string): (batch: CellBatch) => EncodedCells {
    const specOf = new Int32Array(this.columns.length).fill(-1);
    this.pick.forEach((j, s) => {
      if (j >= 0) specOf[j] = s;
    });
    const outcomes = new CellOutcomes(this.model.preprocessor, specOf, this.missing, valueText);
    const absent = Array.from(this.pick, (j, s) => (j < 0 ? outcomes.absent(s) : undefined));
    const width = this.model.preprocessor.outputWidth;
    const { pick, used } = this;
    // Matrices of scored batches, for the next ones: a stream of batches allocates no matrix per batch.
    const spare: Float64Array[][] = [];
    const matrix = (rows: number): { X: Float64Array[]; release: () => void } => {
      let columns = spare.pop();
      if (columns === undefined || (columns[0]?.length ?? 0) < rows) columns = Array.from({ length: width }, () => new Float64Array(rows));
      const full = columns;
      return {
        X: full.map((column) => column.subarray(0, rows)),
        release: () => {
          if (spare.length < 4 && !spare.includes(full)) spare.push(full);
        },
      };
    };
    // Per spec, its matrix columns' place; the used columns no spec reads (decided for their presence only).
    const firstColumn = new Int32Array(pick.length + 1);
    for (let s = 0; s < pick.length; s++) firstColumn[s + 1] = (firstColumn[s] as number) + this.model.preprocessor.specWidth(s);
    const picked = new Set(pick);
    const unpicked = Array.from(used).filter((j) => !picked.has(j));
    const isUsed = new Uint8Array(this.columns.length);
    for (const j of used) isUsed[j] = 1;
    let missingScratch = new Uint16Array(0);
    return (batch) => {
      const { rows } = batch;
      const { X, release } = matrix(rows);
      const warnings: (string[] | undefined)[] = new Array(rows).fill(undefined);
      let firstError: (string | undefined)[] | undefined;
      // Per row, how many of the used columns it lacks a value in (all of them: nothing to score).
      if (missingScratch.length < rows) missingScratch = new Uint16Array(rows);
      const lacking = missingScratch.subarray(0, rows).fill(0);
      const counted = new Set<number>();
      // Column by column, in the specs' order (a row's warnings come in that order, as its first error).
      for (let s = 0; s < pick.length; s++) {
        const j = pick[s] as number;
        const into = X.slice(firstColumn[s], firstColumn[s + 1]);
        if (j < 0) {
          const outcome = absent[s] as CellOutcome;
          outcome.values.forEach((v, k) => {
            (into[k] as Float64Array).fill(v);
          });
          if (outcome.error !== undefined) firstError ??= new Array(rows).fill(undefined);
          for (let i = 0; i < rows; i++) {
            if (outcome.error !== undefined) (firstError as (string | undefined)[])[i] ??= outcome.error;
            if (outcome.warning !== undefined) addWarning(warnings, i, outcome.warning);
          }
          continue;
        }
        const counts = isUsed[j] === 1 && !counted.has(j);
        counted.add(j);
        outcomes.decideColumn(batch, j, into, (i, outcome) => {
          if (outcome.missing && counts) lacking[i] = (lacking[i] as number) + 1;
          if (outcome.error !== undefined) {
            firstError ??= new Array(rows).fill(undefined);
            firstError[i] ??= outcome.error;
          }
          if (outcome.warning !== undefined) addWarning(warnings, i, outcome.warning);
        });
      }
      for (const j of unpicked) {
        outcomes.decideColumn(batch, j, [], (i, outcome) => {
          if (outcome.missing) lacking[i] = (lacking[i] as number) + 1;
        });
      }
      const errors = new Map<number, string>();
      const rowOf = new Int32Array(rows);
      let n = 0;
      for (let i = 0; i < rows; i++) {
        const error = lacking[i] === used.length ? NO_FIELDS : firstError?.[i];
        if (error === undefined) rowOf[n++] = i;
        else {
          errors.set(i, error);
          warnings[i] = undefined;
        }
      }
      // The rows that cannot be scored leave the matrix (its rows are the scored rows, in order).
      if (n < rows) {
        for (const column of X) for (let k = 0; k < n; k++) column[k] = column[rowOf[k] as number] as number;
      }
      return { X: n === rows ? X : X.map((col) => col.subarray(0, n)), rowOf: rowOf.subarray(0, n), rows, warnings, errors, release };
    };
  }

  /**
   * The record a row of cells makes, for what takes records (`explainEachAsync`, drift samples): the
   * model's columns, each cell trimmed, a missing token as missing; undefined for a row with none of
   * them present. `score` scores exactly these records, without building them.
   */
  recordOf(cells: readonly string[]): Record<string, string | undefined> | undefined {
    if (!this.anyPresent(cells)) return undefined;
    const record: Record<string, string | undefined> = {};
    for (let k = 0; k < this.used.length; k++) {
      const j = this.used[k] as number;
      record[this.columns[j] as string] = this.cell(cells, j);
    }
    return record;
  }

  private cell(cells: readonly string[], j: number): string | undefined {
    const v = (cells[j] ?? "").trim();
    return this.missing.has(v) ? undefined : v;
  }

  private anyPresent(cells: readonly string[]): boolean {
    for (let k = 0; k < this.used.length; k++) if (this.cell(cells, this.used[k] as number) !== undefined) return true;
    return false;
  }
}

/** Adds a warning to row `i`'s list (made with its first). */
function addWarning(warnings: (string[] | undefined)[], i: number, warning: string): void {
  const list = warnings[i];
  if (list === undefined) warnings[i] = [warning];
  else list.push(warning);
}
