import { type NodeSearch, SMALL_NODE } from "./split-search.js";

/** Work arrays of the tree grower, reused from tree to tree (fresh large buffers cost page faults). */
export interface Workspace {
  n: number;
  nFeatures: number;
  /** 32-bit words per constant-feature bit set. */
  words: number;
  // Nodes: a tree on m distinct rows has at most 2m - 1.
  feature: Int32Array;
  threshold: Float64Array;
  /** The split bin of each node, for the out-of-bag walk on bins. */
  binAt: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** In-bag draws reaching each node. */
  cover: Int32Array;
  order: Int32Array;
  /** Sampled rows, grouped by node; `search.packed` moves along with them. */
  rows: Int32Array;
  tmpRows: Int32Array;
  tmpPacked: Float64Array;
  search: NodeSearch;
  stackNode: Int32Array;
  stackStart: Int32Array;
  stackEnd: Int32Array;
  stackDepth: Int32Array;
  stackC0: Float64Array;
  stackC1: Float64Array;
  stackConst: Int32Array;
  nodeConst: Int32Array;
}

let cached: Workspace | undefined;

/** Work arrays for trees on one binned matrix, kept for the next tree on it. */
export function workspace(n: number, nFeatures: number, bins: Uint8Array): Workspace {
  // A new matrix gets new arrays: rewriting a field V8 has seen constant would discard the
  // optimised code of the whole grower.
  if (cached && cached.n === n && cached.nFeatures === nFeatures && cached.search.bins === bins) return cached;
  const cap = 2 * n + 1;
  const words = (nFeatures + 31) >>> 5;
  const rows = new Int32Array(n);
  cached = {
    n,
    nFeatures,
    words,
    feature: new Int32Array(cap),
    threshold: new Float64Array(cap),
    binAt: new Int32Array(cap),
    left: new Int32Array(cap),
    right: new Int32Array(cap),
    value: new Float64Array(cap),
    cover: new Int32Array(cap),
    order: new Int32Array(nFeatures),
    rows,
    tmpRows: new Int32Array(n),
    tmpPacked: new Float64Array(n),
    search: {
      bins,
      rows,
      packed: new Float64Array(n),
      start: 0,
      end: 0,
      c0: 0,
      c1: 0,
      cw0: Number.NaN,
      cw1: Number.NaN,
      minLeaf: 1,
      hist: new Float64Array(512),
      hc: new Int32Array(256),
      sortKey: new Int32Array(SMALL_NODE),
      found: new Float64Array(4),
    },
    stackNode: new Int32Array(cap),
    stackStart: new Int32Array(cap),
    stackEnd: new Int32Array(cap),
    stackDepth: new Int32Array(cap),
    stackC0: new Float64Array(cap),
    stackC1: new Float64Array(cap),
    stackConst: new Int32Array(cap * words),
    nodeConst: new Int32Array(words),
  };
  return cached;
}
