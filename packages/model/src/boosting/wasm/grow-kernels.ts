import { compiledOnce, instanceWithMemory } from "../../wasm/instance.js";
import { GROW_WASM_BASE64 } from "./grow-bytes.js";

/**
 * The boosted trees' row loops in WebAssembly (grow.wat), over arrays that live in its memory: the
 * grower reads and writes them as typed arrays (views of that memory) and calls the loops on them.
 * The same sums and the same partitions as the JavaScript loops, without a bounds check on every
 * access; and compiled code from the first tree on, where JavaScript's loops run unoptimised at first.
 */
export interface GrowKernels {
  /** The rows' bins, row-major (row i, feature f at i × features + f): the caller fills them. */
  readonly bins: Uint8Array;
  readonly rows: Int32Array;
  readonly g: Float64Array;
  readonly h: Float64Array;
  /** Histograms of `width` numbers each, in the module's memory (the grower's pool). */
  readonly histograms: Float64Array[];
  /** Adds (g, h, 1) of rows[start … end) into `hist` (one of `histograms`), bin by bin of every feature. */
  histogram(start: number, end: number, hist: Float64Array): void;
  /**
   * Stable partition of rows[start … end) by bin ≤ split of `feature`; returns where the right side
   * starts, and leaves each side's Σg and Σh in `sides` (left g, left h, right g, right h), added in
   * the rows' new order.
   */
  partition(start: number, end: number, feature: number, split: number): number;
  readonly sides: Float64Array;
  /** large[k] −= small[k] over a histogram's width (both in `histograms`). */
  subtract(large: Float64Array, small: Float64Array): void;
  /**
   * TreeGrower.bestSplit's search over `hist` (one of `histograms`) for a leaf of `count` rows and sums
   * G and H: false when no split qualifies, else true with the split in `best`.
   */
  bestSplit(hist: Float64Array, count: number, minLeaf: number, G: number, H: number, lambda: number, parent: number, minHessian: number): boolean;
  readonly best: { gain: number; feature: number; bin: number };
}

/** Memory the kernels may take: below 1 GB, or the JavaScript loops do the work. */
const MAX_BYTES = 2 ** 30;
const growModule = compiledOnce(GROW_WASM_BASE64);

/**
 * Kernels for `n` rows of `features` features whose histograms take `width` numbers (feature f's
 * slots from `offsets[f]`), with a pool of `histograms` of them; undefined where the JavaScript loops
 * must run (no WebAssembly, or more memory than allowed).
 */
export function growKernels(n: number, features: number, offsets: Int32Array, width: number, histograms: number): GrowKernels | undefined {
  const module = growModule();
  if (!module) return undefined;
  const align = (x: number) => Math.ceil(x / 8) * 8;
  const rowsAt = align(n * features);
  const tmpAt = rowsAt + align(4 * n);
  const gAt = tmpAt + align(4 * n);
  const hAt = gAt + 8 * n;
  const offsetsAt = hAt + 8 * n;
  const scratchAt = offsetsAt + align(4 * offsets.length);
  const histAt = scratchAt + 32;
  const end = histAt + 8 * width * histograms;
  if (end > MAX_BYTES) return undefined;
  const made = instanceWithMemory(module, end);
  if (!made) return undefined;
  const { exports, buffer } = made;
  new Int32Array(buffer, offsetsAt, offsets.length).set(offsets);
  const histogram = exports.histogram as (...args: number[]) => void;
  const partition = exports.partition as (...args: number[]) => number;
  const subtract = exports.subtract as (...args: number[]) => void;
  const bestSplit = exports.bestSplit as (...args: number[]) => number;
  const scratch = new Float64Array(buffer, scratchAt, 4);
  const scratchInts = new Int32Array(buffer, scratchAt, 8);
  const best = { gain: 0, feature: -1, bin: -1 };
  return {
    bins: new Uint8Array(buffer, 0, n * features),
    rows: new Int32Array(buffer, rowsAt, n),
    g: new Float64Array(buffer, gAt, n),
    h: new Float64Array(buffer, hAt, n),
    histograms: Array.from({ length: histograms }, (_, k) => new Float64Array(buffer, histAt + 8 * width * k, width)),
    histogram: (start, stop, hist) => histogram(0, rowsAt, start, stop, gAt, hAt, offsetsAt, features, hist.byteOffset),
    partition: (start, stop, feature, split) => partition(0, rowsAt, tmpAt, start, stop, feature, features, split, gAt, hAt, scratchAt),
    sides: scratch,
    subtract: (large, small) => subtract(large.byteOffset, small.byteOffset, width),
    bestSplit: (hist, count, minLeaf, G, H, lambda, parent, minHessian) => {
      if (bestSplit(hist.byteOffset, offsetsAt, features, count, minLeaf, G, H, lambda, parent, minHessian, scratchAt) === 0) return false;
      best.gain = scratch[0] as number;
      best.feature = scratchInts[2] as number;
      best.bin = scratchInts[3] as number;
      return true;
    },
    best,
  };
}
