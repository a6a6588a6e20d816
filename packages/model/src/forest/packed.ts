import { ModelError } from "../errors.js";
import { binOf } from "./binning.js";
import { emptyFlatTree, type FlatTree } from "./tree.js";

/**
 * All trees in one array of 4-byte nodes in depth-first preorder, for prediction. A split node holds,
 * in one int32, its feature, a threshold *code* and how far ahead its right child is; the left child
 * sits right after its parent. A leaf is the bitwise NOT of its value's index (negative). Codes
 * replace the float thresholds: each feature's thresholds, sorted, give a value its code (how many
 * thresholds lie below it) once per row, and `x <= threshold` becomes `code(x) <= code(threshold)`.
 * A walk down a tree waits on memory, so the smaller the nodes the more of a tree stays in cache
 * (Adult's trees: about 22 KB each).
 */
export interface PackedForest {
  nodes: Int32Array;
  values: Float64Array;
  roots: Int32Array;
  /** Per feature, the distinct thresholds its splits use, ascending. */
  cuts: Float64Array[];
  /** Where a split word keeps its parts. */
  layout: NodeLayout;
  /** Right children too far ahead for the offset field (which then holds `layout.offMask`), by node. */
  far: Map<number, number>;
  /** Scratch: the current row's codes. */
  codes: Int32Array;
  /** In-bag draws reaching each node, in the nodes' order (see FlatTree.cover); absent when a tree lacks them. */
  covers?: Int32Array;
}

/** A split word: 0 | feature | code | right-child offset, from the high bits down. */
export interface NodeLayout {
  featShift: number;
  codeShift: number;
  codeMask: number;
  /** Also the offset that says "see `far`". */
  offMask: number;
}

const MAX_FEATURES = 1 << 15;
const MAX_CUTS = 0xffff;

/** The narrowest fields for a forest's features and threshold codes; the offset takes the bits left. */
export function nodeLayout(nFeatures: number, cuts: readonly Float64Array[]): NodeLayout {
  const bits = (n: number) => Math.max(1, 32 - Math.clz32(Math.max(1, n) - 1));
  const featBits = bits(nFeatures);
  const codeBits = bits(cuts.reduce((m, c) => Math.max(m, c.length), 1));
  const offBits = 31 - featBits - codeBits;
  // 15 + 16 bits at most leave none for an offset: every right child would be "far". Never met in
  // practice (the binning gives 255 thresholds a feature), refused rather than made slow.
  if (offBits < 2) throw new ModelError(`the packed predictor cannot code ${nFeatures} features with up to ${MAX_CUTS} thresholds each`);
  return { featShift: offBits + codeBits, codeShift: offBits, codeMask: (1 << codeBits) - 1, offMask: (1 << offBits) - 1 };
}

/** A split node's word, its right child at `right`; far right children are recorded in `far`. */
export function splitWord(layout: NodeLayout, feature: number, code: number, at: number, right: number, far: Map<number, number>): number {
  let offset = right - at;
  if (offset >= layout.offMask) {
    far.set(at, right);
    offset = layout.offMask;
  }
  return (feature << layout.featShift) | (code << layout.codeShift) | offset;
}

/**
 * The child of split node `at` (word `w`) whose right child is kept in `far`, for a row whose code
 * for the node's feature is `code`. Off the walks' hot path: they check for the "far" offset and come
 * here only then, and otherwise choose the child without a branch (the direction is a coin flip at
 * most nodes, and a mispredicted branch costs more than computing it).
 */
export function farChild(at: number, w: number, code: number, p: PackedForest): number {
  return code <= ((w >>> p.layout.codeShift) & p.layout.codeMask) ? at + 1 : (p.far.get(at) as number);
}

/** The right child of split node `at` (word `w`). */
export function rightOf(p: PackedForest, at: number, w: number): number {
  const offset = w & p.layout.offMask;
  return offset === p.layout.offMask ? (p.far.get(at) as number) : at + offset;
}

export function packForest(trees: readonly FlatTree[], nFeatures: number): PackedForest {
  if (nFeatures >= MAX_FEATURES) throw new ModelError(`the packed predictor takes fewer than ${MAX_FEATURES} features (got ${nFeatures})`);
  const cuts = thresholdsByFeature(trees, nFeatures);
  const layout = nodeLayout(nFeatures, cuts);
  const far = new Map<number, number>();
  let total = 0;
  let leaves = 0;
  for (const t of trees) {
    total += t.feature.length;
    for (const f of t.feature) if (f < 0) leaves++;
  }
  const nodes = new Int32Array(total);
  const covers = trees.every((t) => t.cover !== undefined) ? new Int32Array(total) : undefined;
  const values = new Float64Array(leaves);
  const roots = new Int32Array(trees.length);
  // Split nodes' feature and code, kept until their right child's place is known.
  const pending = new Map<number, [number, number]>();
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
      if (covers) covers[at] = (t.cover as Int32Array)[node] as number;
      // A right child tells its parent where it landed; a left child is implicit (parent + 1).
      if (parent >= 0) {
        const [f, code] = pending.get(parent) as [number, number];
        pending.delete(parent);
        nodes[parent] = splitWord(layout, f, code, parent, at, far);
      }
      const f = t.feature[node] as number;
      if (f >= 0) {
        pending.set(at, [f, codeOf(cuts[f] as Float64Array, t.threshold[node] as number)]);
        stack.push(t.right[node] as number, t.left[node] as number);
        parents.push(at, -1);
      } else {
        nodes[at] = ~leaf;
        values[leaf++] = t.value[node] as number;
      }
    }
  });
  return { nodes, values, roots, cuts, layout, far, codes: new Int32Array(nFeatures), covers };
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
  const { nodes, values, roots, cuts, layout } = p;
  const total = nodes.length;
  return Array.from(roots, (root, t) => {
    const end = t + 1 < roots.length ? (roots[t + 1] as number) : total;
    const tree = emptyFlatTree(end - root);
    if (p.covers) tree.cover = p.covers.slice(root, end);
    for (let i = 0; i < end - root; i++) {
      const w = nodes[root + i] as number;
      if (w < 0) {
        tree.value[i] = values[~w] as number;
      } else {
        const f = w >>> layout.featShift;
        tree.feature[i] = f;
        tree.threshold[i] = (cuts[f] as Float64Array)[(w >>> layout.codeShift) & layout.codeMask] as number;
        tree.left[i] = i + 1;
        tree.right[i] = rightOf(p, root + i, w) - root;
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

/**
 * Mean leaf value over all trees for one matrix row. Four trees are walked side by side: each step
 * down a tree waits for a load from memory, and four independent walks let the processor wait for
 * four loads at once. Leaf values are added in tree order, as `predictProba` adds them.
 */
export function predictPacked(p: PackedForest, x: ArrayLike<number>): number {
  const { nodes, values, roots, cuts, codes, far } = p;
  const { featShift: fs, codeShift: cs, codeMask: cm, offMask: om } = p.layout;
  for (let f = 0; f < codes.length; f++) codes[f] = codeOf(cuts[f] as Float64Array, x[f] as number);
  const trees = roots.length;
  let sum = 0;
  let k = 0;
  for (; k + 4 <= trees; k += 4) {
    let i0 = roots[k] as number;
    let i1 = roots[k + 1] as number;
    let i2 = roots[k + 2] as number;
    let i3 = roots[k + 3] as number;
    let w0 = nodes[i0] as number;
    let w1 = nodes[i1] as number;
    let w2 = nodes[i2] as number;
    let w3 = nodes[i3] as number;
    // Leaves are negative: the AND is negative only once all four walks have reached theirs.
    while ((w0 & w1 & w2 & w3) >= 0) {
      if (w0 >= 0) {
        const o0 = w0 & om;
        i0 = o0 === om ? farChild(i0, w0, codes[w0 >>> fs] as number, p) : i0 + 1 + ((o0 - 1) & ((((w0 >>> cs) & cm) - (codes[w0 >>> fs] as number)) >> 31));
        w0 = nodes[i0] as number;
      }
      if (w1 >= 0) {
        const o1 = w1 & om;
        i1 = o1 === om ? farChild(i1, w1, codes[w1 >>> fs] as number, p) : i1 + 1 + ((o1 - 1) & ((((w1 >>> cs) & cm) - (codes[w1 >>> fs] as number)) >> 31));
        w1 = nodes[i1] as number;
      }
      if (w2 >= 0) {
        const o2 = w2 & om;
        i2 = o2 === om ? farChild(i2, w2, codes[w2 >>> fs] as number, p) : i2 + 1 + ((o2 - 1) & ((((w2 >>> cs) & cm) - (codes[w2 >>> fs] as number)) >> 31));
        w2 = nodes[i2] as number;
      }
      if (w3 >= 0) {
        const o3 = w3 & om;
        i3 = o3 === om ? farChild(i3, w3, codes[w3 >>> fs] as number, p) : i3 + 1 + ((o3 - 1) & ((((w3 >>> cs) & cm) - (codes[w3 >>> fs] as number)) >> 31));
        w3 = nodes[i3] as number;
      }
    }
    sum += values[~w0] as number;
    sum += values[~w1] as number;
    sum += values[~w2] as number;
    sum += values[~w3] as number;
  }
  for (; k < trees; k++) {
    let i = roots[k] as number;
    let w = nodes[i] as number;
    while (w >= 0) {
      i = (codes[w >>> fs] as number) <= ((w >>> cs) & cm) ? i + 1 : (w & om) === om ? (far.get(i) as number) : i + (w & om);
      w = nodes[i] as number;
    }
    sum += values[~w] as number;
  }
  return sum / trees;
}
