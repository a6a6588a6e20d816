import { codeOf, farChild, type PackedForest, predictPacked } from "./packed.js";
import { builtWalker, wasmWalker } from "./wasm/walker.js";

/**
 * Bytes of row codes per block. A tree is fetched from memory once per block, and a fetch costs far
 * more than the walks that follow (measured on Adult's forest, 10,000 rows: 363 ms with blocks of 256
 * rows, 140 ms with 256 KB of codes, about 9,000 rows of 14 features). The block's rows are read one
 * after the other while the tree stays in cache, so a larger block only fetches the trees less often:
 * 1 MB against 256 KB, 10,000 rows of the 200,000-row model (29,000-node trees) on one thread 89 →
 * 68 ms, Adult's 20,000 rows 95 → 92 ms.
 */
const BLOCK_CODE_BYTES = 1024 * 1024;

/**
 * Mean leaf value over all trees for rows `[start, end)` of a column-major matrix, into the same
 * places of `out`. Rows go through the forest in blocks, tree by tree: a tree's nodes (tens of KB)
 * stay in cache while a whole block walks it, where a row walking all trees in turn fetches every
 * tree from memory again. Leaf values are added in tree order from zero, as `predictPacked` and the
 * flat trees add them: the same probabilities bit for bit. The walk runs in WebAssembly where it can
 * (wasm/walk.wat: eight rows side by side over nodes laid out for the step, each row handing its
 * place to the next one at its leaf; 20,000 Adult rows on one thread 131 ms in JavaScript, 93 ms with
 * four rows over the packed words, 35 ns a tree and row now against 45 then), else in JavaScript
 * (walkTrees: four rows walk each tree side by side, so four loads are awaited at once, each choosing
 * its child without a branch, see farChild; on Adult's 10,000 test rows 135–139 ms with 8-byte nodes
 * and a branch per step, 97–112 ms with 4-byte nodes and no branch).
 */
export function predictPackedRows(
  p: PackedForest,
  X: readonly Float64Array[],
  out: Float64Array,
  start = 0,
  end = X[0]?.length ?? 0,
  rowsPerBlock = blockRows(p.cuts.length),
): void {
  const { cuts } = p;
  const F = cuts.length;
  const trees = p.roots.length;
  const BLOCK = Math.max(1, Math.min(end - start, rowsPerBlock));
  // The walk in WebAssembly where it can run (see wasm/walker.ts), reading the codes and sums from its
  // memory; made once per forest with room for a default block, whatever the first call's size.
  const walker = wasmWalker(p, Math.max(BLOCK, blockRows(F)));
  const codes = walker ? walker.codes : new Uint16Array(BLOCK * F);
  const stride = walker ? walker.stride : F;
  const sums = walker ? walker.sums : new Float64Array(BLOCK);
  for (let from = start; from < end; from += BLOCK) {
    const m = Math.min(BLOCK, end - from);
    for (let f = 0; f < F; f++) {
      const column = X[f] as Float64Array;
      const sorted = cuts[f] as Float64Array;
      for (let r = 0; r < m; r++) codes[r * stride + f] = codeOf(sorted, column[from + r] as number);
    }
    sums.fill(0, 0, m);
    if (walker) walker.walk(m);
    else walkTrees(p, codes, sums, m);
    for (let r = 0; r < m; r++) out[from + r] = (sums[r] as number) / trees;
  }
}

/**
 * Single predictions of a forest before its nodes are laid out for the WebAssembly walk on their
 * behalf: the layout costs time and memory (Adult's forest: about 20 ms and 4.5 MB, 8 bytes a node)
 * that a few predictions would not win back (2.4 µs each), where a service makes it up in a second.
 */
const ROWS_BEFORE_LAYOUT = 1000;
const rowsPredicted = new WeakMap<PackedForest, number>();

/**
 * `predictPacked` for one row, walked in WebAssembly where it can be (walk.wat's walkRow: eight trees
 * side by side, each step of a lone row waiting on memory; Adult: 2.9 against 5.3 µs a prediction)
 * once the forest has made ROWS_BEFORE_LAYOUT of them or scored a batch; the same number bit for bit.
 */
export function predictPackedRow(p: PackedForest, x: ArrayLike<number>): number {
  let walker = builtWalker(p);
  if (!walker) {
    const made = (rowsPredicted.get(p) ?? 0) + 1;
    rowsPredicted.set(p, made);
    if (made > ROWS_BEFORE_LAYOUT) walker = wasmWalker(p, blockRows(p.cuts.length));
  }
  if (!walker) return predictPacked(p, x);
  const { cuts } = p;
  const codes = walker.codes;
  for (let f = 0; f < cuts.length; f++) codes[f] = codeOf(cuts[f] as Float64Array, x[f] as number);
  return walker.walkRow() / p.roots.length;
}

/** Adds every tree's leaf value to `sums[r]` for the block's rows r < m (codes row-major, a row's features together). */
function walkTrees(p: PackedForest, codes: Uint16Array, sums: Float64Array, m: number): void {
  const { nodes, values, roots, far } = p;
  const { featShift: fs, codeShift: cs, codeMask: cm, offMask: om } = p.layout;
  const F = p.cuts.length;
  const trees = roots.length;
  for (let t = 0; t < trees; t++) {
    const root = roots[t] as number;
    const rootWord = nodes[root] as number;
    let r = 0;
    for (; r + 4 <= m; r += 4) {
      const b0 = r * F;
      const b1 = b0 + F;
      const b2 = b1 + F;
      const b3 = b2 + F;
      let i0 = root;
      let i1 = root;
      let i2 = root;
      let i3 = root;
      let w0 = rootWord;
      let w1 = rootWord;
      let w2 = rootWord;
      let w3 = rootWord;
      // Leaves are -1: the AND is negative only once all four walks have reached theirs.
      while ((w0 & w1 & w2 & w3) >= 0) {
        if (w0 >= 0) {
          const o0 = w0 & om;
          i0 =
            o0 === om
              ? farChild(i0, w0, codes[b0 + (w0 >>> fs)] as number, p)
              : i0 + 1 + ((o0 - 1) & ((((w0 >>> cs) & cm) - (codes[b0 + (w0 >>> fs)] as number)) >> 31));
          w0 = nodes[i0] as number;
        }
        if (w1 >= 0) {
          const o1 = w1 & om;
          i1 =
            o1 === om
              ? farChild(i1, w1, codes[b1 + (w1 >>> fs)] as number, p)
              : i1 + 1 + ((o1 - 1) & ((((w1 >>> cs) & cm) - (codes[b1 + (w1 >>> fs)] as number)) >> 31));
          w1 = nodes[i1] as number;
        }
        if (w2 >= 0) {
          const o2 = w2 & om;
          i2 =
            o2 === om
              ? farChild(i2, w2, codes[b2 + (w2 >>> fs)] as number, p)
              : i2 + 1 + ((o2 - 1) & ((((w2 >>> cs) & cm) - (codes[b2 + (w2 >>> fs)] as number)) >> 31));
          w2 = nodes[i2] as number;
        }
        if (w3 >= 0) {
          const o3 = w3 & om;
          i3 =
            o3 === om
              ? farChild(i3, w3, codes[b3 + (w3 >>> fs)] as number, p)
              : i3 + 1 + ((o3 - 1) & ((((w3 >>> cs) & cm) - (codes[b3 + (w3 >>> fs)] as number)) >> 31));
          w3 = nodes[i3] as number;
        }
      }
      sums[r] = (sums[r] as number) + (values[~w0] as number);
      sums[r + 1] = (sums[r + 1] as number) + (values[~w1] as number);
      sums[r + 2] = (sums[r + 2] as number) + (values[~w2] as number);
      sums[r + 3] = (sums[r + 3] as number) + (values[~w3] as number);
    }
    for (; r < m; r++) {
      const base = r * F;
      let i = root;
      let w = rootWord;
      while (w >= 0) {
        i = (codes[base + (w >>> fs)] as number) <= ((w >>> cs) & cm) ? i + 1 : (w & om) === om ? (far.get(i) as number) : i + (w & om);
        w = nodes[i] as number;
      }
      sums[r] = (sums[r] as number) + (values[~w] as number);
    }
  }
}

/** Rows whose codes (two bytes a feature) fill BLOCK_CODE_BYTES. */
export function blockRows(features: number): number {
  return Math.max(64, Math.floor(BLOCK_CODE_BYTES / (2 * Math.max(1, features))));
}
