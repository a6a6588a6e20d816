import { ModelError } from "../errors.js";
import { type BinEdges, binOf, fitBinEdges } from "../forest/binning.js";
import { emptyFlatTree, type FlatTree } from "../forest/tree.js";
import { stratifiedSplit } from "../split/stratified.js";
import { type GrowKernels, growKernels } from "./wasm/grow-kernels.js";

export interface GradientBoostingParams {
  /** Shrinkage of each tree's leaf values. */
  learningRate?: number;
  /** Most boosting iterations (one tree each). */
  maxIter?: number;
  /** Leaves per tree, grown best-first (leaf-wise); null: limited by maxDepth only. */
  maxLeafNodes?: number | null;
  /** Depth limit; null: limited by maxLeafNodes only. */
  maxDepth?: number | null;
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values (λ in −G/(H + λ)). */
  l2Regularization?: number;
  /**
   * Stop when the loss on a held-out fraction of the training rows stops improving. Off by default (see
   * the class's doc); "auto": on when there are more than 10,000 training rows, as scikit-learn's default.
   */
  earlyStopping?: "auto" | boolean;
  validationFraction?: number;
  nIterNoChange?: number;
  tol?: number;
  seed?: number;
}

export type ResolvedBoostingParams = Required<{ [K in keyof GradientBoostingParams]: Exclude<GradientBoostingParams[K], undefined> }>;

const MIN_HESSIAN = 1e-3;

/**
 * Histogram gradient boosting for a binary target, with the log loss, in the way of scikit-learn's
 * HistGradientBoostingClassifier and its defaults: features binned once as it bins them (at most 255
 * bins, thresholds at midpoints of distinct values or of its percentiles), each tree fitted to the
 * gradients and hessians of the loss by histograms of (Σg, Σh, n) per bin, grown best-first to 31
 * leaves with at least 20 rows each, leaf values −G/(H + λ) shrunk by the learning rate. The output is
 * log-odds: intercept + Σ tree leaf values; P(positive) is its sigmoid.
 *
 * One default differs: no early stopping (scikit-learn's "auto" holds out 10% of the rows above 10,000).
 * Measured on Adult over six 70/30 splits, 100 iterations on all the training rows scored a higher test
 * ROC AUC than early stopping on 90% of them on every split (+0.0006 on average; the 200,000-row
 * benchmark set +0.0008): at a learning rate of 0.1 and 100 iterations the held-out rows are worth more
 * as training rows than as a stopping rule. Turn it on (true or "auto") with many more iterations.
 */
export class GradientBoostingClassifier {
  readonly params: ResolvedBoostingParams;
  trees: FlatTree[] = [];
  /** Log-odds of the training rows' positive rate: the output before any tree. */
  intercept = 0;
  /** Total split gain per feature, normalised to sum 1. */
  featureImportances: Float64Array = new Float64Array(0);
  /** Held-out log loss after each iteration (the first entry: before any tree); empty without early stopping. */
  validationLoss: number[] = [];
  nFeatures = 0;

  constructor(params: GradientBoostingParams = {}) {
    this.params = {
      learningRate: params.learningRate ?? 0.1,
      maxIter: params.maxIter ?? 100,
      maxLeafNodes: params.maxLeafNodes === undefined ? 31 : params.maxLeafNodes,
      maxDepth: params.maxDepth ?? null,
      minSamplesLeaf: params.minSamplesLeaf ?? 20,
      l2Regularization: params.l2Regularization ?? 0,
      earlyStopping: params.earlyStopping ?? false,
      validationFraction: params.validationFraction ?? 0.1,
      nIterNoChange: params.nIterNoChange ?? 10,
      tol: params.tol ?? 1e-7,
      seed: params.seed ?? 42,
    };
    const p = this.params;
    if (!(p.learningRate > 0)) throw new ModelError(`learningRate must be positive (got ${p.learningRate})`);
    if (!Number.isInteger(p.maxIter) || p.maxIter < 1) throw new ModelError(`maxIter must be a whole number ≥ 1 (got ${p.maxIter})`);
    if (p.maxLeafNodes !== null && (!Number.isInteger(p.maxLeafNodes) || p.maxLeafNodes < 2))
      throw new ModelError(`maxLeafNodes must be a whole number ≥ 2 or null (got ${p.maxLeafNodes})`);
    if (p.maxDepth !== null && (!Number.isInteger(p.maxDepth) || p.maxDepth < 1))
      throw new ModelError(`maxDepth must be a whole number ≥ 1 or null (got ${p.maxDepth})`);
    if (p.maxLeafNodes === null && p.maxDepth === null) throw new ModelError("maxLeafNodes and maxDepth cannot both be null: the trees would grow without end");
    if (!Number.isInteger(p.minSamplesLeaf) || p.minSamplesLeaf < 1)
      throw new ModelError(`minSamplesLeaf must be a whole number ≥ 1 (got ${p.minSamplesLeaf})`);
    if (!(p.l2Regularization >= 0)) throw new ModelError(`l2Regularization must be ≥ 0 (got ${p.l2Regularization})`);
  }

  fit(X: readonly Float64Array[], y: Uint8Array): this {
    const n = y.length;
    if (n === 0) throw new ModelError("cannot fit boosted trees on zero rows");
    if (X.length === 0) throw new ModelError("cannot fit boosted trees without features");
    for (const col of X) if (col.length !== n) throw new ModelError("every feature column must have one value per row");
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i] as number;
    if (pos === 0 || pos === n) throw new ModelError("the training rows hold one class only; a classifier needs both");
    const p = this.params;
    const early = p.earlyStopping === "auto" ? n > 10_000 : p.earlyStopping;
    const split = early ? stratifiedSplit(y, p.validationFraction, p.seed) : { train: Int32Array.from({ length: n }, (_, i) => i), test: new Int32Array(0) };
    const fitRows = split.train;
    const valRows = split.test;
    const edges: BinEdges[] = X.map((col) =>
      fitBinEdges(
        Float64Array.from(fitRows, (i) => col[i] as number),
        "percentile-midpoint",
      ),
    );
    const grower = new TreeGrower(binRows(X, edges, n), n, edges, p);
    const bins = grower.bins;
    let fitPos = 0;
    for (const i of fitRows) fitPos += y[i] as number;
    const rate = fitPos / fitRows.length;
    this.intercept = Math.log(rate / (1 - rate));
    this.nFeatures = X.length;
    const raw = new Float64Array(n).fill(this.intercept);
    const gain = new Float64Array(X.length);
    this.trees = [];
    this.validationLoss = early ? [logLossOf(raw, y, valRows)] : [];
    const { g, h } = grower;
    for (let iter = 0; iter < p.maxIter; iter++) {
      for (const i of fitRows) {
        const prob = sigmoid(raw[i] as number);
        g[i] = prob - (y[i] as number);
        h[i] = Math.max(prob * (1 - prob), 1e-16);
      }
      const tree = grower.grow(fitRows, g, h, gain);
      this.trees.push(tree.flat);
      // The fitted rows' leaves are known from the growth; held-out rows walk the tree on their bins.
      for (let k = 0; k < tree.leafOfRow.length; k++)
        raw[fitRows[k] as number] = (raw[fitRows[k] as number] as number) + (tree.flat.value[tree.leafOfRow[k] as number] as number);
      if (!early) continue;
      for (const i of valRows) raw[i] = (raw[i] as number) + (tree.flat.value[leafOnBins(tree, bins, X.length, i)] as number);
      this.validationLoss.push(logLossOf(raw, y, valRows));
      if (shouldStop(this.validationLoss, p.nIterNoChange, p.tol)) break;
    }
    let total = 0;
    for (const v of gain) total += v;
    this.featureImportances = total > 0 ? Float64Array.from(gain, (v) => v / total) : gain;
    return this;
  }

  /** Log-odds for each row of a column-major matrix. */
  decisionFunction(X: readonly Float64Array[]): Float64Array {
    const n = X[0]?.length ?? 0;
    const out = new Float64Array(n).fill(this.intercept);
    for (const t of this.trees) {
      for (let i = 0; i < n; i++) {
        let node = 0;
        let f = t.feature[0] as number;
        while (f >= 0) {
          node = ((X[f] as Float64Array)[i] as number) <= (t.threshold[node] as number) ? (t.left[node] as number) : (t.right[node] as number);
          f = t.feature[node] as number;
        }
        out[i] = (out[i] as number) + (t.value[node] as number);
      }
    }
    return out;
  }

  predictProba(X: readonly Float64Array[]): Float64Array {
    return this.decisionFunction(X).map(sigmoid);
  }
}

export const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

function logLossOf(raw: Float64Array, y: Uint8Array, rows: Int32Array): number {
  let sum = 0;
  for (const i of rows) {
    const z = raw[i] as number;
    // log(1 + e^z) − y·z, computed without overflow.
    sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[i] as number) * z;
  }
  return sum / Math.max(1, rows.length);
}

/** scikit-learn's rule: stop when none of the last `n` losses beat the one before them by more than `tol`. */
function shouldStop(losses: readonly number[], n: number, tol: number): boolean {
  if (losses.length <= n) return false;
  const reference = losses[losses.length - n - 1] as number;
  for (let k = losses.length - n; k < losses.length; k++) if ((losses[k] as number) < reference - tol) return false;
  return true;
}

interface GrownBoostedTree {
  flat: FlatTree;
  /** Split bins by node (for held-out rows walking on bins). */
  binAt: Int32Array;
  /** For each fitted row (in the order given), its leaf's node. */
  leafOfRow: Int32Array;
}

/** The matrix's bins row by row (row i, feature f at i × features + f): a row's bins share a cache line. */
function binRows(X: readonly Float64Array[], edges: readonly BinEdges[], n: number): Uint8Array {
  const features = X.length;
  const out = new Uint8Array(features * n);
  for (let f = 0; f < features; f++) {
    const col = X[f] as Float64Array;
    const e = edges[f] as BinEdges;
    for (let i = 0; i < n; i++) out[i * features + f] = binOf(e, col[i] as number);
  }
  return out;
}

/** Σg and Σh of rows [start, middle) and [middle, end): left g, left h, right g, right h. */
function sideSums(rows: Int32Array, start: number, middle: number, end: number, g: Float64Array, h: Float64Array): Float64Array {
  const sums = new Float64Array(4);
  for (let k = start; k < end; k++) {
    const side = k < middle ? 0 : 2;
    sums[side] = (sums[side] as number) + (g[rows[k] as number] as number);
    sums[side + 1] = (sums[side + 1] as number) + (h[rows[k] as number] as number);
  }
  return sums;
}

function leafOnBins(tree: GrownBoostedTree, bins: Uint8Array, features: number, row: number): number {
  const { feature, left, right } = tree.flat;
  const base = row * features;
  let node = 0;
  let f = feature[0] as number;
  while (f >= 0) {
    node = (bins[base + f] as number) <= (tree.binAt[node] as number) ? (left[node] as number) : (right[node] as number);
    f = feature[node] as number;
  }
  return node;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  hist: Float64Array;
  best: { gain: number; feature: number; bin: number } | null;
}

/** Grows one tree best-first on histograms, reusing its work arrays from tree to tree. */
class TreeGrower {
  private readonly freeHists: Float64Array[] = [];
  /** The rows' bins (row-major), the node row lists, and the gradients and hessians fit() writes before each tree. */
  readonly bins: Uint8Array;
  private readonly rows: Int32Array;
  private readonly tmp: Int32Array;
  readonly g: Float64Array;
  readonly h: Float64Array;
  private readonly binsPerFeature: Int32Array;
  private readonly offsets: Int32Array;
  private readonly width: number;
  /** The row loops in WebAssembly, over the arrays above in its memory (undefined: the JavaScript loops). */
  private readonly kernels: GrowKernels | undefined;

  constructor(
    bins: Uint8Array,
    private readonly n: number,
    edges: readonly BinEdges[],
    private readonly p: ResolvedBoostingParams,
  ) {
    this.binsPerFeature = Int32Array.from(edges, (e) => e.length + 1);
    this.offsets = new Int32Array(edges.length + 1);
    for (let f = 0; f < edges.length; f++) this.offsets[f + 1] = (this.offsets[f] as number) + 3 * (this.binsPerFeature[f] as number);
    this.width = this.offsets[edges.length] as number;
    this.edges = edges;
    // A histogram per open leaf: at most the leaf limit (or, growing by depth, the leaves of that depth), and one being built.
    const live = p.maxLeafNodes !== null ? p.maxLeafNodes + 2 : Math.min(2 ** Math.min(p.maxDepth ?? 20, 20) + 2, 64);
    this.kernels = growKernels(n, edges.length, this.offsets, this.width, live);
    if (this.kernels) {
      this.kernels.bins.set(bins);
      this.bins = this.kernels.bins;
      this.rows = this.kernels.rows;
      this.g = this.kernels.g;
      this.h = this.kernels.h;
      // Taken last first: the pool's first histogram is the root's.
      this.freeHists.push(...[...this.kernels.histograms].reverse());
    } else {
      this.bins = bins;
      this.rows = new Int32Array(n);
      this.g = new Float64Array(n);
      this.h = new Float64Array(n);
    }
    this.tmp = this.kernels ? new Int32Array(0) : new Int32Array(n);
  }

  private readonly edges: readonly BinEdges[];

  grow(fitRows: Int32Array, g: Float64Array, h: Float64Array, gain: Float64Array): GrownBoostedTree {
    const { p, rows } = this;
    const m = fitRows.length;
    rows.set(fitRows);
    const maxLeaves = p.maxLeafNodes ?? Number.MAX_SAFE_INTEGER;
    const capacity = Math.min(2 * m, p.maxLeafNodes !== null ? 2 * p.maxLeafNodes : 2 ** ((p.maxDepth ?? 20) + 1));
    const flat = emptyFlatTree(capacity);
    const cover = new Int32Array(capacity);
    const binAt = new Int32Array(capacity);
    let nodes = 1;
    let G = 0;
    let H = 0;
    for (let k = 0; k < m; k++) {
      G += g[rows[k] as number] as number;
      H += h[rows[k] as number] as number;
    }
    const root: Leaf = { node: 0, start: 0, end: m, depth: 0, G, H, hist: this.histogram(0, m, g, h), best: null };
    root.best = this.bestSplit(root);
    const open: Leaf[] = [root];
    const leaves: Leaf[] = [];
    let leafCount = 1;
    while (open.length > 0) {
      // Best-first: the open leaf whose split gains most.
      let at = -1;
      for (let k = 0; k < open.length; k++) if (open[k]?.best && (at < 0 || (open[k]?.best?.gain as number) > (open[at]?.best?.gain as number))) at = k;
      if (at < 0 || leafCount >= maxLeaves) break;
      const leaf = open.splice(at, 1)[0] as Leaf;
      const best = leaf.best as { gain: number; feature: number; bin: number };
      const middle = this.partition(leaf.start, leaf.end, best.feature, best.bin);
      const l = nodes++;
      const r = nodes++;
      flat.feature[leaf.node] = best.feature;
      flat.threshold[leaf.node] = (this.edges[best.feature] as BinEdges)[best.bin] as number;
      flat.left[leaf.node] = l;
      flat.right[leaf.node] = r;
      binAt[leaf.node] = best.bin;
      gain[best.feature] = (gain[best.feature] as number) + best.gain;
      leafCount++;
      // The smaller child's histogram is built; the larger one's is the parent's minus it.
      const leftSmaller = middle - leaf.start <= leaf.end - middle;
      // Each side's Σg and Σh, added in its rows' order (the partition kernel adds them as it goes).
      const sums = this.kernels ? Float64Array.from(this.kernels.sides) : sideSums(rows, leaf.start, middle, leaf.end, g, h);
      const small = leftSmaller ? this.histogram(leaf.start, middle, g, h) : this.histogram(middle, leaf.end, g, h);
      const large = leaf.hist;
      if (this.kernels && this.inModule(large) && this.inModule(small)) this.kernels.subtract(large, small);
      else for (let k = 0; k < large.length; k++) large[k] = (large[k] as number) - (small[k] as number);
      const [lh, rh] = leftSmaller ? [small, large] : [large, small];
      for (const [node, start, end, hist, side] of [
        [l, leaf.start, middle, lh, 0],
        [r, middle, leaf.end, rh, 2],
      ] as const) {
        const child: Leaf = { node, start, end, depth: leaf.depth + 1, G: sums[side] as number, H: sums[side + 1] as number, hist, best: null };
        child.best = p.maxDepth !== null && child.depth >= p.maxDepth ? null : this.bestSplit(child);
        open.push(child);
      }
      leaves.push(leaf);
    }
    // Leaf values, covers, and which leaf each fitted row ended in.
    const leafOfRow = new Int32Array(m);
    const position = new Int32Array(this.n);
    for (let k = 0; k < m; k++) position[fitRows[k] as number] = k;
    for (const leaf of open) {
      flat.value[leaf.node] = (-leaf.G / (leaf.H + p.l2Regularization)) * p.learningRate;
      for (let k = leaf.start; k < leaf.end; k++) leafOfRow[position[rows[k] as number] as number] = leaf.node;
    }
    const all = [...leaves, ...open];
    for (const leaf of all) cover[leaf.node] = leaf.end - leaf.start;
    // A split leaf's histogram became its larger child's; the open leaves hold every live one.
    for (const leaf of open) this.release(leaf.hist);
    const trimmed: FlatTree = {
      feature: flat.feature.slice(0, nodes),
      threshold: flat.threshold.slice(0, nodes),
      left: flat.left.slice(0, nodes),
      right: flat.right.slice(0, nodes),
      value: flat.value.slice(0, nodes),
      cover: cover.slice(0, nodes),
    };
    return { flat: trimmed, binAt: binAt.slice(0, nodes), leafOfRow };
  }

  /**
   * (Σg, Σh, n) per bin of every feature over rows [start, end), in one pass over the rows: a row's
   * bins, gradient and hessian are fetched once for all its features (feature by feature, each
   * row's were fetched once per feature: Adult's whole fit went from 0.85 to 0.62 s this way). Each
   * bin's sums add the rows in the same order either way, so the trees are bit for bit the same.
   */
  private histogram(start: number, end: number, g: Float64Array, h: Float64Array): Float64Array {
    const { bins, rows, offsets, kernels } = this;
    const features = this.binsPerFeature.length;
    const hist = this.freeHists.pop() ?? new Float64Array(this.width);
    // The module's loop when the histogram and the gradients are in its memory (a histogram past the pool is not).
    if (kernels && this.inModule(hist) && g === kernels.g && h === kernels.h) {
      kernels.histogram(start, end, hist);
      return hist;
    }
    for (let k = start; k < end; k++) {
      const row = rows[k] as number;
      const gk = g[row] as number;
      const hk = h[row] as number;
      const base = row * features;
      for (let f = 0; f < features; f++) {
        const at = (offsets[f] as number) + 3 * (bins[base + f] as number);
        hist[at] = (hist[at] as number) + gk;
        hist[at + 1] = (hist[at + 1] as number) + hk;
        hist[at + 2] = (hist[at + 2] as number) + 1;
      }
    }
    return hist;
  }

  /** Whether a histogram is one of the module's (a histogram past the pool is an ordinary array). */
  private inModule(hist: Float64Array): boolean {
    return this.kernels !== undefined && hist.buffer === this.kernels.g.buffer;
  }

  /** A histogram no longer needed, zeroed for the next node (allocating one per node kept the collector busy). */
  private release(hist: Float64Array): void {
    hist.fill(0);
    this.freeHists.push(hist);
  }

  /** The split of largest positive gain GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ) respecting the leaf sizes, or null. */
  private bestSplit(leaf: Leaf): { gain: number; feature: number; bin: number } | null {
    const { p, offsets } = this;
    const count = leaf.end - leaf.start;
    if (count < 2 * p.minSamplesLeaf || leaf.H < 2 * MIN_HESSIAN) return null;
    const lambda = p.l2Regularization;
    const parent = (leaf.G * leaf.G) / (leaf.H + lambda);
    const { kernels } = this;
    if (kernels && this.inModule(leaf.hist)) {
      if (!kernels.bestSplit(leaf.hist, count, p.minSamplesLeaf, leaf.G, leaf.H, lambda, parent, MIN_HESSIAN)) return null;
      return { ...kernels.best };
    }
    let best: { gain: number; feature: number; bin: number } | null = null;
    for (let f = 0; f < this.binsPerFeature.length; f++) {
      const o = offsets[f] as number;
      const nb = this.binsPerFeature[f] as number;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < nb - 1; b++) {
        gl += leaf.hist[o + 3 * b] as number;
        hl += leaf.hist[o + 3 * b + 1] as number;
        cl += leaf.hist[o + 3 * b + 2] as number;
        if (cl < p.minSamplesLeaf) continue;
        if (count - cl < p.minSamplesLeaf) break;
        const hr = leaf.H - hl;
        if (hl < MIN_HESSIAN || hr < MIN_HESSIAN) continue;
        const gr = leaf.G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > 1e-12 && (best === null || gain > best.gain)) best = { gain, feature: f, bin: b };
      }
    }
    return best;
  }

  /** Stable partition of rows [start, end) by bin ≤ splitBin; returns where the right side starts. */
  private partition(start: number, end: number, feature: number, splitBin: number): number {
    if (this.kernels) return this.kernels.partition(start, end, feature, splitBin);
    const { bins, rows, tmp } = this;
    const features = this.binsPerFeature.length;
    let i = start;
    let moved = 0;
    for (let k = start; k < end; k++) {
      const row = rows[k] as number;
      if ((bins[row * features + feature] as number) <= splitBin) rows[i++] = row;
      else tmp[moved++] = row;
    }
    for (let k = 0; k < moved; k++) rows[i + k] = tmp[k] as number;
    return i;
  }
}
