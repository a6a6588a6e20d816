import { Random } from "../random.js";
import type { BinEdges } from "./binning.js";
import { CLASS1, searchFeature } from "./split-search.js";
import { workspace } from "./tree-workspace.js";

/** One tree as parallel arrays; a node with feature -1 is a leaf whose `value` is P(positive). */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /**
   * How many in-bag draws of training rows reached each node (a row drawn twice counts twice, as in
   * scikit-learn's `n_node_samples` of a bootstrap tree); what TreeSHAP weighs the branches a row does
   * not take by. Absent for trees read from files written before pipe kept it.
   */
  cover?: Int32Array;
}

/** A tree of `size` nodes, every one a leaf of value 0 until set. */
export function emptyFlatTree(size: number): FlatTree {
  return {
    feature: new Int32Array(size).fill(-1),
    threshold: new Float64Array(size),
    left: new Int32Array(size).fill(-1),
    right: new Int32Array(size).fill(-1),
    value: new Float64Array(size),
  };
}

export interface TreeParams {
  maxFeatures: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
}

export interface TrainingData {
  /** Binned features, column-major. */
  bins: Uint8Array;
  edges: readonly BinEdges[];
  n: number;
  nFeatures: number;
  y: Uint8Array;
  /** Weight of a sample of each class (class_weight). */
  classWeight: readonly [number, number];
}

export interface GrownTree {
  tree: FlatTree;
  /** Weighted impurity decrease per feature, normalised to sum 1 (all zeros for a stump). */
  importance: Float64Array;
  /** How many times each row was drawn into the bootstrap sample (0 = out of bag). */
  inBag: Uint16Array;
  /** Leaf value of each out-of-bag row (inBag 0), in row order. */
  oob: Float64Array;
}

/**
 * Grows one fully random-forest tree on a bootstrap sample, as scikit-learn does: features drawn
 * per split, best Gini split over histogram bins, grown until pure or limited by the parameters.
 * Also scores its out-of-bag rows.
 */
export function growTree(data: TrainingData, params: TreeParams, seed: number, bootstrap = true): GrownTree {
  const { bins, n, nFeatures, y, classWeight } = data;
  const rng = new Random(seed);
  const inBag = new Uint16Array(n);
  if (bootstrap)
    for (let i = 0; i < n; i++) {
      const k = rng.int(n);
      inBag[k] = (inBag[k] as number) + 1;
    }
  else inBag.fill(1);
  const ws = workspace(n, nFeatures, bins);
  const { feature, threshold, binAt, left, right, value, cover, order, search } = ws;
  const { found } = search;
  const m = takeSample(inBag, y, ws.rows, search.packed);
  const cw0 = classWeight[0];
  const cw1 = classWeight[1];
  search.cw0 = cw0;
  search.cw1 = cw1;
  search.minLeaf = params.minSamplesLeaf;

  let nodes = 1;
  feature[0] = -1;
  left[0] = -1;
  right[0] = -1;
  threshold[0] = 0;
  const importance = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) order[f] = f;

  // Depth-first work list in typed arrays (no allocation per node).
  // Each child's class counts come from its parent's best split, saving a pass over its rows.
  // Features found constant in a node stay constant in its children: each stack entry carries a bit
  // set of them, so deep nodes do not scan them again (scikit-learn passes the same knowledge down).
  const { stackNode, stackStart, stackEnd, stackDepth, stackC0, stackC1, stackConst, nodeConst, words } = ws;
  for (let q = 0; q < words; q++) stackConst[q] = 0;
  stackNode[0] = 0;
  stackStart[0] = 0;
  stackEnd[0] = m;
  stackDepth[0] = 0;
  stackC0[0] = 0;
  stackC1[0] = 0;
  for (let i = 0; i < n; i++) {
    if (y[i]) stackC1[0] += inBag[i] as number;
    else stackC0[0] += inBag[i] as number;
  }
  let top = 1;
  while (top > 0) {
    top--;
    const node = stackNode[top] as number;
    const start = stackStart[top] as number;
    const end = stackEnd[top] as number;
    const depth = stackDepth[top] as number;
    for (let q = 0; q < words; q++) nodeConst[q] = stackConst[top * words + q] as number;
    const c0 = stackC0[top] as number;
    const c1 = stackC1[top] as number;
    const w0 = c0 * cw0;
    const w1 = c1 * cw1;
    const wt = w0 + w1;
    value[node] = wt > 0 ? w1 / wt : 0;
    cover[node] = c0 + c1;
    const count = end - start;
    if (c0 === 0 || c1 === 0 || depth >= params.maxDepth || count < params.minSamplesSplit || count < 2 * params.minSamplesLeaf) continue;

    // Best split (even a zero-gain one, as scikit-learn allows) over the drawn features.
    search.start = start;
    search.end = end;
    search.c0 = c0;
    search.c1 = c1;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestBin = -1;
    let bestC0 = 0;
    let bestC1 = 0;
    let visited = 0;
    let drawn = 0;
    while (visited < params.maxFeatures && drawn < nFeatures) {
      // Partial Fisher-Yates draw without replacement; constant features do not count, as in scikit-learn.
      const j = drawn + rng.int(nFeatures - drawn);
      const f = order[j] as number;
      order[j] = order[drawn] as number;
      order[drawn] = f;
      drawn++;
      if ((nodeConst[f >>> 5] as number) & (1 << (f & 31))) continue;
      if (!searchFeature(search, f * n, (data.edges[f] as BinEdges).length + 1)) {
        nodeConst[f >>> 5] = (nodeConst[f >>> 5] as number) | (1 << (f & 31));
        continue;
      }
      visited++;
      if ((found[0] as number) > bestScore) {
        bestScore = found[0] as number;
        bestFeature = f;
        bestBin = found[1] as number;
        bestC0 = found[2] as number;
        bestC1 = found[3] as number;
      }
    }
    if (bestFeature < 0) continue;

    const middle = partition(bins, bestFeature * n, bestBin, ws.rows, search.packed, start, end, ws.tmpRows, ws.tmpPacked);
    feature[node] = bestFeature;
    threshold[node] = (data.edges[bestFeature] as BinEdges)[bestBin] as number;
    binAt[node] = bestBin;
    // Impurity decrease, weighted as in scikit-learn: w·gini(parent) − wL·gini(L) − wR·gini(R).
    const parentProxy = (w0 * w0 + w1 * w1) / wt;
    importance[bestFeature] = (importance[bestFeature] as number) + Math.max(0, bestScore - parentProxy);
    const l = nodes++;
    const r = nodes++;
    feature[l] = -1;
    feature[r] = -1;
    left[l] = -1;
    left[r] = -1;
    right[l] = -1;
    right[r] = -1;
    threshold[l] = 0;
    threshold[r] = 0;
    left[node] = l;
    right[node] = r;
    // Right pushed first so the left child is grown first (depth-first, left to right).
    stackNode[top] = r;
    stackStart[top] = middle;
    stackEnd[top] = end;
    stackDepth[top] = depth + 1;
    stackC0[top] = c0 - bestC0;
    stackC1[top] = c1 - bestC1;
    for (let q = 0; q < words; q++) stackConst[top * words + q] = nodeConst[q] as number;
    top++;
    stackNode[top] = l;
    stackStart[top] = start;
    stackEnd[top] = middle;
    stackDepth[top] = depth + 1;
    stackC0[top] = bestC0;
    stackC1[top] = bestC1;
    for (let q = 0; q < words; q++) stackConst[top * words + q] = nodeConst[q] as number;
    top++;
  }
  let total = 0;
  for (const v of importance) total += v;
  if (total > 0) for (let f = 0; f < nFeatures; f++) importance[f] = (importance[f] as number) / total;
  return {
    tree: {
      feature: feature.slice(0, nodes),
      threshold: threshold.slice(0, nodes),
      left: left.slice(0, nodes),
      right: right.slice(0, nodes),
      value: value.slice(0, nodes),
      cover: cover.slice(0, nodes),
    },
    importance,
    inBag,
    oob: scoreOutOfBag(bins, n, inBag, n - m, feature, binAt, left, right, value),
  };
}

/** Lists the in-bag rows in ascending order with their packed class counts; returns how many. */
function takeSample(inBag: Uint16Array, y: Uint8Array, rows: Int32Array, packed: Float64Array): number {
  let k = 0;
  for (let i = 0; i < inBag.length; i++) {
    const c = inBag[i] as number;
    if (c === 0) continue;
    rows[k] = i;
    packed[k] = y[i] ? c * CLASS1 : c;
    k++;
  }
  return k;
}

/**
 * Stable partition of rows [start, end) by the split (bin <= splitBin first); returns where the right
 * side starts. Rows stay ascending inside every node, so the histogram loops read each column front
 * to back. Branch-free: each row is written to both sides and only the matching cursor moves (a
 * branch would be mispredicted on about half of the rows).
 */
function partition(
  bins: Uint8Array,
  base: number,
  splitBin: number,
  rows: Int32Array,
  packed: Float64Array,
  start: number,
  end: number,
  tmpRows: Int32Array,
  tmpPacked: Float64Array,
): number {
  let i = start;
  let moved = 0;
  for (let k = start; k < end; k++) {
    const row = rows[k] as number;
    const p = packed[k] as number;
    const goesRight = (splitBin - (bins[base + row] as number)) >>> 31;
    rows[i] = row;
    packed[i] = p;
    tmpRows[moved] = row;
    tmpPacked[moved] = p;
    i += goesRight ^ 1;
    moved += goesRight;
  }
  for (let k = 0; k < moved; k++) {
    rows[i + k] = tmpRows[k] as number;
    packed[i + k] = tmpPacked[k] as number;
  }
  return i;
}

/**
 * Leaf value of each out-of-bag row, in row order. The walk reads bins: bin <= split bin is the same
 * test as value <= threshold, and the binned matrix is small enough to stay in cache.
 */
function scoreOutOfBag(
  bins: Uint8Array,
  n: number,
  inBag: Uint16Array,
  nOob: number,
  feature: Int32Array,
  binAt: Int32Array,
  left: Int32Array,
  right: Int32Array,
  value: Float64Array,
): Float64Array {
  const oob = new Float64Array(nOob);
  for (let i = 0, k = 0; i < n; i++) {
    if (inBag[i]) continue;
    let node = 0;
    let f = feature[0] as number;
    while (f >= 0) {
      node = (bins[f * n + i] as number) <= (binAt[node] as number) ? (left[node] as number) : (right[node] as number);
      f = feature[node] as number;
    }
    oob[k++] = value[node] as number;
  }
  return oob;
}

/** P(positive) of one tree for one matrix row. */
export function predictTree(t: FlatTree, x: ArrayLike<number>): number {
  let node = 0;
  let f = t.feature[0] as number;
  while (f >= 0) {
    node = (x[f] as number) <= (t.threshold[node] as number) ? (t.left[node] as number) : (t.right[node] as number);
    f = t.feature[node] as number;
  }
  return t.value[node] as number;
}
