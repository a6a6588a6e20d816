import type { BinEdges } from "../forest/binning.js";
import type { FlatTree } from "../forest/tree.js";
import { deriveSeed, Random } from "../random.js";

export interface GrowerParams {
  nFeatures: number;
  /** Features drawn per node (scikit-learn's max_features, resolved). */
  maxFeatures: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Weight of a draw of each class. */
  classWeight: readonly [number, number];
  seed: number;
}

/** A tree being grown: per node, its split (feature −1: a leaf so far), its class draws and depth. */
export interface TreeBuild {
  tree: number;
  feature: number[];
  bin: number[];
  left: number[];
  right: number[];
  /** Bootstrap draws reaching the node, and those of the positive class. */
  c: number[];
  p: number[];
  depth: number[];
  /** Weighted impurity decrease of the node's split (0 for a leaf). */
  decrease: number[];
}

/** A node split at this level: rows with bin ≤ `bin` of `feature` go to `left`; an open child is split (or closed) at the next level. */
export interface NodeSplit {
  tree: number;
  node: number;
  feature: number;
  bin: number;
  left: number;
  right: number;
  leftOpen: boolean;
  rightOpen: boolean;
}

const BINS = 256;
/** Histograms asked for beyond the features a node tries, for those constant in it. */
const SPARE_FEATURES = 2;

/**
 * Grows trees level by level from class histograms an engine computes: rows of (tree, node, feature,
 * bin, draws, positive draws) arrive ordered by tree and node; each node's best Gini split over the
 * features drawn for it (as scikit-learn draws them: in random order until `maxFeatures` that vary in
 * the node were tried) becomes a NodeSplit, or the node stays a leaf.
 */
export class LevelGrower {
  private readonly c: Float64Array;
  private readonly p: Float64Array;
  private readonly seen: Uint8Array;
  private current: { build: TreeBuild; node: number } | null = null;

  constructor(readonly params: GrowerParams) {
    this.c = new Float64Array(params.nFeatures * BINS);
    this.p = new Float64Array(params.nFeatures * BINS);
    this.seen = new Uint8Array(params.nFeatures);
  }

  newTree(tree: number): TreeBuild {
    return { tree, feature: [], bin: [], left: [], right: [], c: [], p: [], depth: [], decrease: [] };
  }

  setRoot(build: TreeBuild, c: number, p: number): void {
    this.addNode(build, c, p, 0);
  }

  /** Whether a node of these draws at this depth may be split. */
  canSplit(c: number, p: number, depth: number): boolean {
    const { maxDepth, minSamplesSplit, minSamplesLeaf } = this.params;
    return depth < maxDepth && c >= minSamplesSplit && c >= 2 * minSamplesLeaf && p > 0 && p < c;
  }

  /** One histogram row; returns the split of the previous node when this row starts another. */
  add(pass: ReadonlyMap<number, TreeBuild>, tree: number, node: number, feature: number, bin: number, c: number, p: number): NodeSplit | null {
    let done: NodeSplit | null = null;
    if (!this.current || this.current.build.tree !== tree || this.current.node !== node) {
      done = this.finish();
      const build = pass.get(tree);
      if (!build) throw new Error(`a histogram row for tree ${tree}, which this pass does not grow`);
      this.current = { build, node };
    }
    const k = feature * BINS + bin;
    this.c[k] = (this.c[k] as number) + c;
    this.p[k] = (this.p[k] as number) + p;
    this.seen[feature] = 1;
    return done;
  }

  /** Decides the node whose rows arrived last (null when it stays a leaf, or there is none). */
  finish(): NodeSplit | null {
    const cur = this.current;
    if (!cur) return null;
    this.current = null;
    try {
      return this.split(cur.build, cur.node);
    } finally {
      this.c.fill(0);
      this.p.fill(0);
      this.seen.fill(0);
    }
  }

  private addNode(build: TreeBuild, c: number, p: number, depth: number): number {
    build.feature.push(-1);
    build.bin.push(0);
    build.left.push(-1);
    build.right.push(-1);
    build.c.push(c);
    build.p.push(p);
    build.depth.push(depth);
    build.decrease.push(0);
    return build.c.length - 1;
  }

  /** The order a node tries the features in: a Fisher–Yates shuffle seeded by the tree and the node. */
  featureOrder(tree: number, node: number): number[] {
    const n = this.params.nFeatures;
    const rng = new Random(deriveSeed(deriveSeed(this.params.seed, tree), node));
    const order = Array.from({ length: n }, (_, j) => j);
    for (let i = 0; i < n - 1; i++) {
      const r = i + rng.int(n - i);
      const f = order[r] as number;
      order[r] = order[i] as number;
      order[i] = f;
    }
    return order;
  }

  /**
   * The features whose histograms a node needs: the first of its order, a few more than it tries
   * (a feature constant in the node is not a try). A node whose candidates are all constant but
   * some other feature varies stays a leaf: rarer than a lost try, and the price of asking the
   * engine for maxFeatures + SPARE histograms instead of all of them.
   */
  candidates(tree: number, node: number): number[] {
    return this.featureOrder(tree, node).slice(0, Math.min(this.params.nFeatures, this.params.maxFeatures + SPARE_FEATURES));
  }

  private split(build: TreeBuild, node: number): NodeSplit | null {
    const total = build.c[node] as number;
    const pos = build.p[node] as number;
    const depth = build.depth[node] as number;
    if (!this.canSplit(total, pos, depth)) return null;
    const { maxFeatures, minSamplesLeaf } = this.params;
    const [cw0, cw1] = this.params.classWeight;
    let best = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestBin = -1;
    let bestLeft = [0, 0];
    let tried = 0;
    for (const f of this.featureOrder(build.tree, node)) {
      if (tried >= maxFeatures) break;
      // Not among the node's candidates (see `candidates`): no histogram came.
      if (!this.seen[f]) continue;
      const base = f * BINS;
      let present = 0;
      for (let b = 0; b < BINS; b++) if ((this.c[base + b] as number) > 0) present++;
      // Constant in the node: not a try, as in scikit-learn.
      if (present < 2) continue;
      tried++;
      let lc = 0;
      let lp = 0;
      for (let b = 0; b < BINS - 1; b++) {
        const cb = this.c[base + b] as number;
        if (cb === 0) continue;
        lc += cb;
        lp += this.p[base + b] as number;
        const rc = total - lc;
        if (rc <= 0) break;
        if (lc < minSamplesLeaf || rc < minSamplesLeaf) continue;
        const score = proxy(cw0 * (lc - lp), cw1 * lp) + proxy(cw0 * (rc - (pos - lp)), cw1 * (pos - lp));
        if (score > best) {
          best = score;
          bestFeature = f;
          bestBin = b;
          bestLeft = [lc, lp];
        }
      }
    }
    if (bestFeature < 0) return null;
    const [lc, lp] = bestLeft as [number, number];
    const left = this.addNode(build, lc, lp, depth + 1);
    const right = this.addNode(build, total - lc, pos - lp, depth + 1);
    build.feature[node] = bestFeature;
    build.bin[node] = bestBin;
    build.left[node] = left;
    build.right[node] = right;
    build.decrease[node] = best - proxy(cw0 * (total - pos), cw1 * pos);
    return {
      tree: build.tree,
      node,
      feature: bestFeature,
      bin: bestBin,
      left,
      right,
      leftOpen: this.canSplit(lc, lp, depth + 1),
      rightOpen: this.canSplit(total - lc, pos - lp, depth + 1),
    };
  }

  /** The grown tree as the forest keeps it (thresholds from the bin edges), and its importances (sum 1). */
  flatTree(build: TreeBuild, edges: readonly BinEdges[]): { tree: FlatTree; importance: Float64Array } {
    const size = build.c.length;
    const [cw0, cw1] = this.params.classWeight;
    const tree: FlatTree = {
      feature: Int32Array.from(build.feature),
      threshold: Float64Array.from(build.feature, (f, i) => (f < 0 ? 0 : ((edges[f] as BinEdges)[build.bin[i] as number] as number))),
      left: Int32Array.from(build.left),
      right: Int32Array.from(build.right),
      value: Float64Array.from({ length: size }, (_, i) => {
        const w1 = cw1 * (build.p[i] as number);
        const w0 = cw0 * ((build.c[i] as number) - (build.p[i] as number));
        return w0 + w1 > 0 ? w1 / (w0 + w1) : 0;
      }),
      cover: Int32Array.from(build.c),
    };
    const importance = new Float64Array(this.params.nFeatures);
    build.feature.forEach((f, i) => {
      if (f >= 0) importance[f] = (importance[f] as number) + (build.decrease[i] as number);
    });
    const sum = importance.reduce((a, b) => a + b, 0);
    if (sum > 0) for (let j = 0; j < importance.length; j++) importance[j] = (importance[j] as number) / sum;
    return { tree, importance };
  }
}

/** Σ_class w² / Σ_class w: the Gini criterion's part of a child (larger is purer). */
function proxy(w0: number, w1: number): number {
  const w = w0 + w1;
  return w > 0 ? (w0 * w0 + w1 * w1) / w : 0;
}
