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
  const w = new Float64Array(n);
  for (let i = 0, k = 0; i < n; i++) {
    const c = inBag[i] as number;
    if (c) {
      rows[k++] = i;
      w[i] = c * (classWeight[y[i] as 0 | 1] as number);
    }
  }

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const importance = new Float64Array(nFeatures);
  const h0 = new Float64Array(256);
  const h1 = new Float64Array(256);
  const hc = new Int32Array(256);
  const order = new Int32Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) order[f] = f;

  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    return feature.length - 1;
  };

  type Job = { node: number; start: number; end: number; depth: number };
  const stack: Job[] = [{ node: newNode(), start: 0, end: m, depth: 0 }];
  while (stack.length > 0) {
    const { node, start, end, depth } = stack.pop() as Job;
    let w0 = 0;
    let w1 = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k] as number;
      if (y[r]) w1 += w[r] as number;
      else w0 += w[r] as number;
    }
    const wt = w0 + w1;
    value[node] = wt > 0 ? w1 / wt : 0;
    const count = end - start;
    if (w0 === 0 || w1 === 0 || depth >= params.maxDepth || count < params.minSamplesSplit || count < 2 * params.minSamplesLeaf) continue;

    // Best split (even a zero-gain one, as scikit-learn allows): maximise (L0² + L1²)/wL + (R0² + R1²)/wR, the Gini proxy scikit-learn uses.
    const parentProxy = (w0 * w0 + w1 * w1) / wt;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestBin = -1;
    let visited = 0;
    let drawn = 0;
    while (visited < params.maxFeatures && drawn < nFeatures) {
      // Partial Fisher-Yates draw without replacement; constant features do not count, as in scikit-learn.
      const j = drawn + rng.int(nFeatures - drawn);
      const f = order[j] as number;
      order[j] = order[drawn] as number;
      order[drawn] = f;
      drawn++;
      h0.fill(0);
      h1.fill(0);
      hc.fill(0);
      const base = f * n;
      let lo = 255;
      let hi = 0;
      for (let k = start; k < end; k++) {
        const r = rows[k] as number;
        const b = bins[base + r] as number;
        if (y[r]) h1[b] += w[r] as number;
        else h0[b] += w[r] as number;
        hc[b]++;
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
      if (lo === hi) continue;
      visited++;
      let l0 = 0;
      let l1 = 0;
      let lc = 0;
      for (let b = lo; b < hi; b++) {
        if (hc[b] === 0) continue;
        l0 += h0[b] as number;
        l1 += h1[b] as number;
        lc += hc[b] as number;
        if (lc < params.minSamplesLeaf) continue;
        if (count - lc < params.minSamplesLeaf) break;
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
        }
      }
    }
    if (bestFeature < 0) continue;

    // Partition rows [start, end) so that bins <= bestBin come first.
    const base = bestFeature * n;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if ((bins[base + (rows[i] as number)] as number) <= bestBin) i++;
      else {
        const t = rows[i] as number;
        rows[i] = rows[j] as number;
        rows[j] = t;
        j--;
      }
    }
    const edges = data.edges[bestFeature] as BinEdges;
    feature[node] = bestFeature;
    threshold[node] = edges[bestBin] as number;
    // Impurity decrease, weighted as in scikit-learn: w·gini(parent) − wL·gini(L) − wR·gini(R).
    importance[bestFeature] = (importance[bestFeature] as number) + Math.max(0, bestScore - parentProxy);
    const l = newNode();
    const r = newNode();
    left[node] = l;
    right[node] = r;
    stack.push({ node: r, start: i, end, depth: depth + 1 });
    stack.push({ node: l, start, end: i, depth: depth + 1 });
  }
  let total = 0;
  for (const v of importance) total += v;
  if (total > 0) for (let f = 0; f < nFeatures; f++) importance[f] = (importance[f] as number) / total;
  return {
    tree: {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
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
