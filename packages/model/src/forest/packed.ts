import { ModelError } from "../errors.js";
import { binOf } from "./binning.js";
import type { FlatTree } from "./tree.js";

/**
 * All trees in one array of 8-byte nodes in depth-first preorder, for predicting one row at a time.
 * A split node holds its feature and a threshold *code*, and where its right child is; the left child
 * sits right after its parent. Codes replace the float thresholds: each feature's thresholds, sorted,
 * give a value its code (how many thresholds lie below it) once per row, and `x <= threshold` becomes
 * `code(x) <= code(threshold)`. A path down a tree is bound by memory traffic, and this layout is half
 * the size of nodes that carry a float.
 */
export interface PackedForest {
  /** Two int32 per node: (feature << 16 | threshold code) or -1 for a leaf; right child, or leaf value index. */
  nodes: Int32Array;
  values: Float64Array;
  roots: Int32Array;
  /** Per feature, the distinct thresholds its splits use, ascending. */
  cuts: Float64Array[];
  /** Scratch: the current row's codes. */
  codes: Int32Array;
}

const MAX_FEATURES = 1 << 15;
const MAX_CUTS = 0xffff;

export function packForest(trees: readonly FlatTree[], nFeatures: number): PackedForest {
  if (nFeatures >= MAX_FEATURES) throw new ModelError(`the packed predictor takes fewer than ${MAX_FEATURES} features (got ${nFeatures})`);
  const cuts = thresholdsByFeature(trees, nFeatures);
  let total = 0;
  let leaves = 0;
  for (const t of trees) {
    total += t.feature.length;
    for (const f of t.feature) if (f < 0) leaves++;
  }
  const nodes = new Int32Array(total * 2);
  const values = new Float64Array(leaves);
  const roots = new Int32Array(trees.length);
  let next = 0;
  let leaf = 0;
  const stack: number[] = [];
  const parents: number[] = [];
  trees.forEach((t, k) => {
    roots[k] = next;
    stack.length = 0;
    parents.length = 0;
    stack.push(0);
    parents.push(-1);
    while (stack.length > 0) {
      const node = stack.pop() as number;
      const parent = parents.pop() as number;
      const at = next++;
      // A right child tells its parent where it landed; a left child is implicit (parent + 1).
      if (parent >= 0) nodes[parent * 2 + 1] = at;
      const f = t.feature[node] as number;
      if (f >= 0) {
        nodes[at * 2] = (f << 16) | codeOf(cuts[f] as Float64Array, t.threshold[node] as number);
        stack.push(t.right[node] as number, t.left[node] as number);
        parents.push(at, -1);
      } else {
        nodes[at * 2] = -1;
        nodes[at * 2 + 1] = leaf;
        values[leaf++] = t.value[node] as number;
      }
    }
  });
  return { nodes, values, roots, cuts, codes: new Int32Array(nFeatures) };
}

function thresholdsByFeature(trees: readonly FlatTree[], nFeatures: number): Float64Array[] {
  const sets = Array.from({ length: nFeatures }, () => new Set<number>());
  for (const t of trees) {
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i] as number;
      if (f >= 0) (sets[f] as Set<number>).add(t.threshold[i] as number);
    }
  }
  return sets.map((s, f) => {
    if (s.size > MAX_CUTS) throw new ModelError(`feature ${f} has more than ${MAX_CUTS} distinct thresholds; the packed predictor cannot code it`);
    return Float64Array.from(s).sort();
  });
}

/**
 * The flat trees back from a packed forest: the same predictions (thresholds are the cuts the codes
 * name), nodes numbered in preorder. A loaded model unpacks only when asked for its trees.
 */
export function unpackForest(p: PackedForest): FlatTree[] {
  const { nodes, values, roots, cuts } = p;
  const total = nodes.length / 2;
  return Array.from(roots, (root, t) => {
    const end = t + 1 < roots.length ? (roots[t + 1] as number) : total;
    const size = end - root;
    const tree: FlatTree = {
      feature: new Int32Array(size),
      threshold: new Float64Array(size),
      left: new Int32Array(size),
      right: new Int32Array(size),
      value: new Float64Array(size),
    };
    for (let i = 0; i < size; i++) {
      const w = nodes[(root + i) * 2] as number;
      const second = nodes[(root + i) * 2 + 1] as number;
      if (w < 0) {
        tree.feature[i] = -1;
        tree.left[i] = -1;
        tree.right[i] = -1;
        tree.value[i] = values[second] as number;
      } else {
        tree.feature[i] = w >>> 16;
        tree.threshold[i] = (cuts[w >>> 16] as Float64Array)[w & 0xffff] as number;
        tree.left[i] = i + 1;
        tree.right[i] = second - root;
      }
    }
    return tree;
  });
}

/** A value's code: how many of the feature's sorted thresholds are below it (as a bin is found from its edges). */
export function codeOf(sorted: Float64Array, v: number): number {
  // NaN (never given: values are imputed before) goes right at every split, as `v <= t` is false.
  return Number.isNaN(v) ? MAX_CUTS : binOf(sorted, v);
}

/** The node after split node i (its word w) for the current row: the left child follows it in preorder. */
function child(nodes: Int32Array, codes: Int32Array, i: number, w: number): number {
  return (codes[w >>> 16] as number) <= (w & 0xffff) ? i + 1 : (nodes[i * 2 + 1] as number);
}

/**
 * Mean leaf value over all trees for one matrix row. Four trees are walked side by side: each step
 * down a tree waits for a load from memory, and four independent walks let the processor wait for
 * four loads at once. Leaf values are added in tree order, as `predictProba` adds them.
 */
export function predictPacked(p: PackedForest, x: ArrayLike<number>): number {
  const { nodes, values, roots, cuts, codes } = p;
  for (let f = 0; f < codes.length; f++) codes[f] = codeOf(cuts[f] as Float64Array, x[f] as number);
  const trees = roots.length;
  let sum = 0;
  let k = 0;
  for (; k + 4 <= trees; k += 4) {
    let i0 = roots[k] as number;
    let i1 = roots[k + 1] as number;
    let i2 = roots[k + 2] as number;
    let i3 = roots[k + 3] as number;
    let w0 = nodes[i0 * 2] as number;
    let w1 = nodes[i1 * 2] as number;
    let w2 = nodes[i2 * 2] as number;
    let w3 = nodes[i3 * 2] as number;
    // Leaves are -1: the AND is negative only once all four walks have reached theirs.
    while ((w0 & w1 & w2 & w3) >= 0) {
      if (w0 >= 0) {
        i0 = child(nodes, codes, i0, w0);
        w0 = nodes[i0 * 2] as number;
      }
      if (w1 >= 0) {
        i1 = child(nodes, codes, i1, w1);
        w1 = nodes[i1 * 2] as number;
      }
      if (w2 >= 0) {
        i2 = child(nodes, codes, i2, w2);
        w2 = nodes[i2 * 2] as number;
      }
      if (w3 >= 0) {
        i3 = child(nodes, codes, i3, w3);
        w3 = nodes[i3 * 2] as number;
      }
    }
    sum += values[nodes[i0 * 2 + 1] as number] as number;
    sum += values[nodes[i1 * 2 + 1] as number] as number;
    sum += values[nodes[i2 * 2 + 1] as number] as number;
    sum += values[nodes[i3 * 2 + 1] as number] as number;
  }
  for (; k < trees; k++) {
    let i = roots[k] as number;
    let w = nodes[i * 2] as number;
    while (w >= 0) {
      i = child(nodes, codes, i, w);
      w = nodes[i * 2] as number;
    }
    sum += values[nodes[i * 2 + 1] as number] as number;
  }
  return sum / trees;
}
