import { ModelError } from "../errors.js";
import { deriveSeed } from "../random.js";
import { predictPackedRow, predictPackedRows } from "./batch.js";
import { type BinEdges, binMatrix, fitBinEdges } from "./binning.js";
import { type PackedForest, packForest, unpackForest } from "./packed.js";
import { defaultThreads, growTreesParallel } from "./parallel.js";
import { predictPackedParallel } from "./score-pool.js";
import { MAX_TREE_ROWS } from "./split-search.js";
import { type FlatTree, type GrownTree, growTree, type TrainingData, type TreeParams } from "./tree.js";

export interface RandomForestParams {
  nEstimators?: number;
  /** Features drawn per split: "sqrt" (default), "log2", a count, or a share in (0, 1]. */
  maxFeatures?: "sqrt" | "log2" | number;
  maxDepth?: number | null;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  classWeight?: "balanced" | null;
  bootstrap?: boolean;
  seed?: number;
}

export type ResolvedForestParams = Required<{ [K in keyof RandomForestParams]: Exclude<RandomForestParams[K], undefined> }>;

export interface ForestProgress {
  treesBuilt: number;
  nEstimators: number;
}

/**
 * A random forest classifier for a binary target with scikit-learn's contract: hyper-parameters in
 * the constructor, `fit(X, y)` learns, `predictProba` averages the trees' leaf class fractions.
 * X is given column by column (one Float64Array per feature, no missing values).
 *
 * @example
 * const rf = new RandomForestClassifier({ nEstimators: 50, seed: 42 }).fit([Float64Array.from([1, 2, 3, 4, 5, 6])], Uint8Array.from([0, 0, 0, 1, 1, 1]));
 * rf.predictProba([Float64Array.from([1.5, 5.5])]); // low, high
 * rf.featureImportances; // Float64Array summing to 1
 */
export class RandomForestClassifier {
  readonly params: ResolvedForestParams;
  /** Mean decrease in impurity per feature, normalised to sum 1. */
  featureImportances: Float64Array = new Float64Array(0);
  /** Out-of-bag P(positive) per training row (NaN where a row was in every bootstrap sample). */
  oobProba: Float64Array = new Float64Array(0);
  /** How many trees scored each training row out of bag (0: every tree had it in its bootstrap). */
  oobCount: Uint16Array = new Uint16Array(0);
  nFeatures = 0;

  constructor(params: RandomForestParams = {}) {
    this.params = {
      nEstimators: params.nEstimators ?? 100,
      maxFeatures: params.maxFeatures ?? "sqrt",
      maxDepth: params.maxDepth ?? null,
      minSamplesSplit: params.minSamplesSplit ?? 2,
      minSamplesLeaf: params.minSamplesLeaf ?? 1,
      classWeight: params.classWeight ?? null,
      bootstrap: params.bootstrap ?? true,
      seed: params.seed ?? 42,
    };
    const p = this.params;
    if (!Number.isInteger(p.nEstimators) || p.nEstimators < 1) throw new ModelError(`nEstimators must be a whole number ≥ 1 (got ${p.nEstimators})`);
    if (!Number.isInteger(p.minSamplesLeaf) || p.minSamplesLeaf < 1)
      throw new ModelError(`minSamplesLeaf must be a whole number ≥ 1 (got ${p.minSamplesLeaf})`);
    if (!Number.isInteger(p.minSamplesSplit) || p.minSamplesSplit < 2)
      throw new ModelError(`minSamplesSplit must be a whole number ≥ 2 (got ${p.minSamplesSplit})`);
    if (p.maxDepth !== null && (!Number.isInteger(p.maxDepth) || p.maxDepth < 1))
      throw new ModelError(`maxDepth must be a whole number ≥ 1 or null (got ${p.maxDepth})`);
  }

  /** Number of features drawn per split for `nFeatures` features. */
  featuresPerSplit(nFeatures: number): number {
    const m = this.params.maxFeatures;
    let k: number;
    if (m === "sqrt") k = Math.floor(Math.sqrt(nFeatures));
    else if (m === "log2") k = Math.floor(Math.log2(nFeatures));
    else if (m > 0 && m <= 1 && !Number.isInteger(m)) k = Math.floor(m * nFeatures);
    else k = m;
    return Math.min(nFeatures, Math.max(1, k));
  }

  /** Fits on this thread. */
  fit(X: readonly Float64Array[], y: Uint8Array, onProgress?: (p: ForestProgress) => void): this {
    const { data, treeParams } = this.prepare(X, y);
    const grown: GrownTree[] = [];
    for (let t = 0; t < this.params.nEstimators; t++) {
      grown.push(growTree(data, treeParams, deriveSeed(this.params.seed, t), this.params.bootstrap));
      onProgress?.({ treesBuilt: t + 1, nEstimators: this.params.nEstimators });
    }
    this.adopt(grown, X, y.length);
    return this;
  }

  /**
   * Fits with trees grown on worker threads (default: one per core). The result is identical to
   * `fit`: each tree depends only on its own seed.
   */
  async fitAsync(X: readonly Float64Array[], y: Uint8Array, options: { threads?: number; onProgress?: (p: ForestProgress) => void } = {}): Promise<this> {
    const { data, treeParams } = this.prepare(X, y);
    const seeds = Array.from({ length: this.params.nEstimators }, (_, t) => deriveSeed(this.params.seed, t));
    const grown = await growTreesParallel(data, treeParams, seeds, this.params.bootstrap, options.threads ?? defaultThreads(), (built) =>
      options.onProgress?.({ treesBuilt: built, nEstimators: this.params.nEstimators }),
    );
    this.adopt(grown, X, y.length);
    return this;
  }

  private prepare(X: readonly Float64Array[], y: Uint8Array): { data: TrainingData; treeParams: TreeParams } {
    const n = y.length;
    if (n === 0) throw new ModelError("cannot fit a forest on zero rows");
    if (n > MAX_TREE_ROWS) throw new ModelError(`a forest takes at most ${MAX_TREE_ROWS} training rows (got ${n}); train on a sample`);
    if (X.length === 0) throw new ModelError("cannot fit a forest without features");
    for (const col of X) if (col.length !== n) throw new ModelError("every feature column must have one value per row");
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i] as number;
    if (pos === 0 || pos === n) throw new ModelError("the training rows hold one class only; a classifier needs both");
    const edges: BinEdges[] = X.map((col) => fitBinEdges(col));
    const classWeight: [number, number] = this.params.classWeight === "balanced" ? [n / (2 * (n - pos)), n / (2 * pos)] : [1, 1];
    const data: TrainingData = { bins: binMatrix(X, edges, n), edges, n, nFeatures: X.length, y, classWeight };
    const treeParams: TreeParams = {
      maxFeatures: this.featuresPerSplit(X.length),
      maxDepth: this.params.maxDepth ?? Number.MAX_SAFE_INTEGER,
      minSamplesSplit: this.params.minSamplesSplit,
      minSamplesLeaf: this.params.minSamplesLeaf,
    };
    return { data, treeParams };
  }

  /** Takes grown trees (from this thread or from workers) as the fitted state. */
  adopt(grown: readonly GrownTree[], X: readonly Float64Array[], n: number): void {
    this.nFeatures = X.length;
    this.trees = grown.map((g) => g.tree);
    const imp = new Float64Array(X.length);
    for (const g of grown) for (let f = 0; f < imp.length; f++) imp[f] = (imp[f] as number) + (g.importance[f] as number);
    let total = 0;
    for (const v of imp) total += v;
    if (total > 0) for (let f = 0; f < imp.length; f++) imp[f] = (imp[f] as number) / total;
    this.featureImportances = imp;
    // Each tree scored its own out-of-bag rows; summed here in tree order, so the result does not
    // depend on which thread grew which tree.
    const sum = new Float64Array(n);
    const count = new Uint16Array(n);
    for (const g of grown) {
      const { inBag, oob } = g;
      for (let i = 0, k = 0; i < n; i++) {
        if (inBag[i] !== 0) continue;
        sum[i] = (sum[i] as number) + (oob[k++] as number);
        count[i] = (count[i] as number) + 1;
      }
    }
    this.oobProba = new Float64Array(n);
    for (let i = 0; i < n; i++) this.oobProba[i] = count[i] ? (sum[i] as number) / (count[i] as number) : Number.NaN;
    this.oobCount = count;
  }

  /** P(positive) for each row of a column-major matrix, from the packed trees walked by blocks of rows (see predictPackedRows). */
  predictProba(X: readonly Float64Array[]): Float64Array {
    const out = new Float64Array(X[0]?.length ?? 0);
    predictPackedRows(this.packedTrees(), X, out);
    return out;
  }

  /**
   * `predictProba` with a large matrix's rows shared between this thread and worker threads (default:
   * one thread per core); a small one stays on this thread. The same values bit for bit.
   * `meanwhile`: other work for this thread, done while the workers score (before it joins them).
   */
  predictProbaAsync(X: readonly Float64Array[], options: { threads?: number; meanwhile?: () => void | Promise<void> } = {}): Promise<Float64Array> {
    return predictPackedParallel(this.packedTrees(), X, options.threads, options.meanwhile);
  }

  private flat: FlatTree[] | undefined = [];
  private packed: PackedForest | undefined;

  /** The fitted trees, one FlatTree each (unpacked on first use for a forest read from a model file). */
  get trees(): FlatTree[] {
    if (this.flat === undefined) this.flat = this.packed ? unpackForest(this.packed) : [];
    return this.flat;
  }

  set trees(trees: FlatTree[]) {
    this.flat = trees;
    this.packed = undefined;
  }

  /** How many trees the forest has (without unpacking a loaded forest). */
  get treeCount(): number {
    return this.flat?.length ?? this.packed?.roots.length ?? 0;
  }

  /** Takes packed trees as the fitted state (a model file stores them packed). */
  adoptPacked(packed: PackedForest, nFeatures: number): void {
    this.packed = packed;
    this.flat = undefined;
    this.nFeatures = nFeatures;
  }

  /** The trees packed for prediction (built once, again if the trees change). */
  packedTrees(): PackedForest {
    if (this.packed === undefined) {
      if (this.treeCount === 0) throw new ModelError("the forest is not fitted; call fit() first");
      this.packed = packForest(this.trees, this.nFeatures);
    }
    return this.packed;
  }

  /** P(positive) for one matrix row, from the packed copy of the trees (built once). */
  predictRow(row: ArrayLike<number>): number {
    return predictPackedRow(this.packedTrees(), row);
  }
}

/**
 * The forest's mean leaf value walked on the flat trees themselves, tree by tree, comparing each
 * value with each float threshold: the reference the packed predictors are tested against.
 */
export function predictFlat(trees: readonly FlatTree[], X: readonly Float64Array[]): Float64Array {
  const n = X[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (const t of trees) for (let i = 0; i < n; i++) out[i] = (out[i] as number) + leafValue(t, X, i);
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / trees.length;
  return out;
}

/** The leaf value one tree gives row i of a column-major matrix. */
function leafValue(t: FlatTree, X: readonly Float64Array[], i: number): number {
  const { feature, threshold, left, right, value } = t;
  let node = 0;
  let f = feature[0] as number;
  while (f >= 0) {
    node = ((X[f] as Float64Array)[i] as number) <= (threshold[node] as number) ? (left[node] as number) : (right[node] as number);
    f = feature[node] as number;
  }
  return value[node] as number;
}
