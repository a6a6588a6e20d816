import { ModelError } from "../errors.js";
import type { Confusion } from "./confusion.js";
import type { ScoresByClass } from "./curves.js";
import { type BinaryMetrics, binaryMetricsOf } from "./evaluate.js";
import { logLikelihood, squaredError } from "./probabilistic.js";

/**
 * `binaryMetrics` of rows given one at a time (a scored file of any length): the same numbers to the
 * last bit as `binaryMetrics(yTrue, yScore, threshold)` of the rows in the order they came, in 8 bytes
 * a row (each score kept once, in its class's list) rather than the labels, the scores and copies of
 * them. The confusion counts and the log-loss and Brier sums are kept as the rows come, in their order.
 *
 * @example
 * const rows: [0 | 1, number][] = [[0, 0.1], [1, 0.8], [0, 0.6], [1, 0.4]];
 * const tally = new BinaryMetricsTally(0.5);
 * for (const [y, p] of rows) tally.add(y, p);
 * tally.metrics().roc_auc; // 0.75
 */
export class BinaryMetricsTally {
  private pos: Float64Array = new Float64Array(1 << 12);
  private neg: Float64Array = new Float64Array(1 << 12);
  private positives = 0;
  private negatives = 0;
  private readonly counts: Confusion = { tn: 0, fp: 0, fn: 0, tp: 0 };
  private logLikelihoods = 0;
  private squaredErrors = 0;

  constructor(readonly threshold = 0.5) {}

  /** Rows added so far. */
  get rows(): number {
    return this.positives + this.negatives;
  }

  /** Rows labelled 1 so far. */
  get positiveRows(): number {
    return this.positives;
  }

  /** One row: its label (0 or 1) and its score (refused when NaN, as binaryMetrics refuses it). */
  add(y: number, score: number): void {
    if (y !== 0 && y !== 1) throw new ModelError(`yTrue holds ${y} at index ${this.rows}: labels are 0 or 1`);
    if (Number.isNaN(score)) throw new ModelError(`yScore is NaN at index ${this.rows}: every row needs a score`);
    const predicted = score >= this.threshold;
    if (y === 1) {
      if (this.positives === this.pos.length) this.pos = larger(this.pos);
      this.pos[this.positives++] = score;
      predicted ? this.counts.tp++ : this.counts.fn++;
    } else {
      if (this.negatives === this.neg.length) this.neg = larger(this.neg);
      this.neg[this.negatives++] = score;
      predicted ? this.counts.fp++ : this.counts.tn++;
    }
    this.logLikelihoods -= logLikelihood(y, score);
    this.squaredErrors += squaredError(y, score);
  }

  /** Every metric of the rows added (binaryMetrics' errors when they hold one class only, or none). */
  metrics(): BinaryMetrics {
    const n = this.rows;
    let sorted: ScoresByClass | undefined;
    return binaryMetricsOf(
      {
        confusion: { ...this.counts },
        byClass: () => {
          sorted ??= { pos: this.pos.subarray(0, this.positives).sort(), neg: this.neg.subarray(0, this.negatives).sort() };
          return sorted;
        },
        logLoss: () => this.logLikelihoods / n,
        brier: () => this.squaredErrors / n,
      },
      this.threshold,
    );
  }
}

/** The scores so far in a list half as long again (doubling left up to half of a long list unused). */
function larger(list: Float64Array): Float64Array {
  const grown = new Float64Array(Math.ceil(list.length * 1.5));
  grown.set(list);
  return grown;
}
