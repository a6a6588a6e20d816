import { Random } from "../random.js";
import type { BinEdges } from "./binning.js";

/** One tree as parallel arrays; a node with feature -1 is a leaf whose `value` is P(positive). */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
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
}

/**
 * Grows one fully random-forest tree on a bootstrap sample, as scikit-learn does: features drawn
 * per split, best Gini split over histogram bins, grown until pure or limited by the parameters.
 */
export function growTree(data: TrainingData, params: TreeParams, seed: number, bootstrap = true): GrownTree {
  const { bins, n, nFeatures, y, classWeight } = data;
  const rng = new Random(seed);
  const inBag = new Uint16Array(n);
  if (bootstrap) for (let i = 0; i < n; i++) inBag[rng.int(n)]++;
  else inBag.fill(1);
  let m = 0;
  for (let i = 0; i < n; i++) if (inBag[i]) m++;
  const rows = new Int32Array(m);
  const w = workspace(n, nFeatures).w;
  for (let i = 0, k = 0; i < n; i++) {
    const c = inBag[i] as number;
    if (c) {
      rows[k++] = i;
      w[i] = c * (classWeight[y[i] as 0 | 1] as number);
    }
  }

  // Node storage: a tree on m distinct rows has at most 2m - 1 nodes. The work arrays are reused
  // from tree to tree (fresh large buffers for every tree cost page faults, worst in worker threads).
  const ws = workspace(n, nFeatures);
  const { feature, threshold, left, right, value, h0, h1, hc, order, w0row, w1row, tmpRows, tmpW0, tmpW1 } = ws;
  let nodes = 1;
  feature[0] = -1;
  left[0] = -1;
  right[0] = -1;
  threshold[0] = 0;
  const importance = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) order[f] = f;
  // Weights split by class (no branch in the histogram loop) and stored by position in `rows`,
  // moved along with the rows when a node is partitioned, so the hot loops read them in order.
  for (let k = 0; k < m; k++) {
    const r = rows[k];
    w0row[k] = y[r] ? 0 : w[r];
    w1row[k] = y[r] ? w[r] : 0;
  }

  // Depth-first work list in typed arrays (no allocation per node).
  // Each child's class weights come from its parent's best split, saving a pass over its rows.
  // Features found constant in a node stay constant in its children: each stack entry carries a bit
  // set of them, so deep nodes do not scan them again (scikit-learn passes the same knowledge down).
  const { stackNode, stackStart, stackEnd, stackDepth, stackW0, stackW1, stackConst, nodeConst, words } = ws;
  for (let q = 0; q < words; q++) stackConst[q] = 0;
  stackW0[0] = 0;
  stackW1[0] = 0;
  let top = 0;
  stackNode[0] = 0;
  stackStart[0] = 0;
  stackEnd[0] = m;
  stackDepth[0] = 0;
  for (let k = 0; k < m; k++) {
    stackW0[0] += w0row[k];
    stackW1[0] += w1row[k];
  }
  top = 1;
  while (top > 0) {
    top--;
    const node = stackNode[top];
    const start = stackStart[top];
    const end = stackEnd[top];
    const depth = stackDepth[top];
    for (let q = 0; q < words; q++) nodeConst[q] = stackConst[top * words + q];
    const w0 = stackW0[top];
    const w1 = stackW1[top];
    const wt = w0 + w1;
    value[node] = wt > 0 ? w1 / wt : 0;
    const count = end - start;
    // Class weights reach children by subtraction: a remnant below 1e-9 of the node's weight is zero.
    if (w0 <= 1e-9 * wt || w1 <= 1e-9 * wt || depth >= params.maxDepth || count < params.minSamplesSplit || count < 2 * params.minSamplesLeaf) continue;

    // Best split (even a zero-gain one, as scikit-learn allows): maximise
    // (L0² + L1²)/wL + (R0² + R1²)/wR, the Gini proxy scikit-learn uses.
    const parentProxy = (w0 * w0 + w1 * w1) / wt;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestBin = -1;
    let bestL0 = 0;
    let bestL1 = 0;
    let visited = 0;
    let drawn = 0;
    const minLeaf = params.minSamplesLeaf;
    while (visited < params.maxFeatures && drawn < nFeatures) {
      // Partial Fisher-Yates draw without replacement; constant features do not count, as in scikit-learn.
      const j = drawn + rng.int(nFeatures - drawn);
      const f = order[j];
      order[j] = order[drawn];
      order[drawn] = f;
      drawn++;
      if (nodeConst[f >>> 5] & (1 << (f & 31))) continue;
      const base = f * n;
      let lo = 255;
      let hi = 0;
      for (let k = start; k < end; k++) {
        const b = bins[base + rows[k]];
        h0[b] += w0row[k];
        h1[b] += w1row[k];
        hc[b]++;
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
      if (lo === hi) {
        h0[lo] = 0;
        h1[lo] = 0;
        hc[lo] = 0;
        nodeConst[f >>> 5] |= 1 << (f & 31);
        continue;
      }
      visited++;
      let l0 = 0;
      let l1 = 0;
      let lc = 0;
      for (let b = lo; b < hi; b++) {
        const c = hc[b];
        if (c === 0) continue;
        l0 += h0[b];
        l1 += h1[b];
        lc += c;
        if (lc < minLeaf || count - lc < minLeaf) continue;
        const wl = l0 + l1;
        const r0 = w0 - l0;
        const r1 = w1 - l1;
        const wr = r0 + r1;
        if (wl <= 0 || wr <= 0) continue;
        const score = (l0 * l0 + l1 * l1) / wl + (r0 * r0 + r1 * r1) / wr;
        if (score > bestScore) {
          bestScore = score;
          bestFeature = f;
          bestBin = b;
          bestL0 = l0;
          bestL1 = l1;
        }
      }
      for (let b = lo; b <= hi; b++) {
        h0[b] = 0;
        h1[b] = 0;
        hc[b] = 0;
      }
    }
    if (bestFeature < 0) continue;

    // Stable partition of rows [start, end): bins <= bestBin first. Rows stay in ascending order
    // inside every node, so the histogram loops read each feature column front to back.
    const base = bestFeature * n;
    let i = start;
    let moved = 0;
    for (let k = start; k < end; k++) {
      const row = rows[k];
      if (bins[base + row] <= bestBin) {
        rows[i] = row;
        w0row[i] = w0row[k];
        w1row[i] = w1row[k];
        i++;
      } else {
        tmpRows[moved] = row;
        tmpW0[moved] = w0row[k];
        tmpW1[moved] = w1row[k];
        moved++;
      }
    }
    rows.set(tmpRows.subarray(0, moved), i);
    w0row.set(tmpW0.subarray(0, moved), i);
    w1row.set(tmpW1.subarray(0, moved), i);
    const edges = data.edges[bestFeature] as BinEdges;
    feature[node] = bestFeature;
    threshold[node] = edges[bestBin];
    // Impurity decrease, weighted as in scikit-learn: w·gini(parent) − wL·gini(L) − wR·gini(R).
    importance[bestFeature] += Math.max(0, bestScore - parentProxy);
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
    stackStart[top] = i;
    stackEnd[top] = end;
    stackDepth[top] = depth + 1;
    stackW0[top] = w0 - bestL0;
    stackW1[top] = w1 - bestL1;
    for (let q = 0; q < words; q++) stackConst[top * words + q] = nodeConst[q];
    top++;
    stackNode[top] = l;
    stackStart[top] = start;
    stackEnd[top] = i;
    stackDepth[top] = depth + 1;
    stackW0[top] = bestL0;
    stackW1[top] = bestL1;
    for (let q = 0; q < words; q++) stackConst[top * words + q] = nodeConst[q];
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
    },
    importance,
    inBag,
  };
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

interface Workspace {
  n: number;
  nFeatures: number;
  words: number;
  w: Float64Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  h0: Float64Array;
  h1: Float64Array;
  hc: Int32Array;
  order: Int32Array;
  w0row: Float64Array;
  w1row: Float64Array;
  tmpRows: Int32Array;
  tmpW0: Float64Array;
  tmpW1: Float64Array;
  stackNode: Int32Array;
  stackStart: Int32Array;
  stackEnd: Int32Array;
  stackDepth: Int32Array;
  stackW0: Float64Array;
  stackW1: Float64Array;
  stackConst: Int32Array;
  nodeConst: Int32Array;
}

let cached: Workspace | undefined;

/** Work arrays for trees on n rows and nFeatures features, kept for the next tree of the same shape. */
function workspace(n: number, nFeatures: number): Workspace {
  if (cached && cached.n === n && cached.nFeatures === nFeatures) return cached;
  const cap = 2 * n + 1;
  const words = (nFeatures + 31) >>> 5;
  cached = {
    n,
    nFeatures,
    words,
    w: new Float64Array(n),
    feature: new Int32Array(cap),
    threshold: new Float64Array(cap),
    left: new Int32Array(cap),
    right: new Int32Array(cap),
    value: new Float64Array(cap),
    h0: new Float64Array(256),
    h1: new Float64Array(256),
    hc: new Int32Array(256),
    order: new Int32Array(nFeatures),
    w0row: new Float64Array(n),
    w1row: new Float64Array(n),
    tmpRows: new Int32Array(n),
    tmpW0: new Float64Array(n),
    tmpW1: new Float64Array(n),
    stackNode: new Int32Array(cap),
    stackStart: new Int32Array(cap),
    stackEnd: new Int32Array(cap),
    stackDepth: new Int32Array(cap),
    stackW0: new Float64Array(cap),
    stackW1: new Float64Array(cap),
    stackConst: new Int32Array(cap * words),
    nodeConst: new Int32Array(words),
  };
  return cached;
}
