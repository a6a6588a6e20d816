import { codeOf, type PackedForest } from "./packed.js";

/**
 * Bytes of row codes per block. A tree is fetched from memory once per block, and a fetch costs far
 * more than the walks that follow (measured on Adult's forest, 10,000 rows: 363 ms with blocks of 256
 * rows, 140 ms with 256 KB of codes, about 9,000 rows of 14 features); the codes a walk reads stay in
 * the second-level cache.
 */
const BLOCK_CODE_BYTES = 256 * 1024;

/**
 * Mean leaf value over all trees for rows `[start, end)` of a column-major matrix, into the same
 * places of `out`. Rows go through the forest in blocks, tree by tree: a tree's nodes (tens of KB)
 * stay in cache while a whole block walks it, where a row walking all trees in turn fetches every
 * tree from memory again; four rows walk each tree side by side, so four loads are awaited at once.
 * Leaf values are added in tree order from zero, as `predictPacked` and the flat trees add them:
 * the same probabilities bit for bit.
 */
export function predictPackedRows(
  p: PackedForest,
  X: readonly Float64Array[],
  out: Float64Array,
  start = 0,
  end = X[0]?.length ?? 0,
  rowsPerBlock = blockRows(p.cuts.length),
): void {
  const { nodes, values, roots, cuts } = p;
  const F = cuts.length;
  const trees = roots.length;
  const BLOCK = Math.max(1, Math.min(end - start, rowsPerBlock));
  const codes = new Uint16Array(BLOCK * F);
  const sums = new Float64Array(BLOCK);
  for (let from = start; from < end; from += BLOCK) {
    const m = Math.min(BLOCK, end - from);
    for (let f = 0; f < F; f++) {
      const column = X[f] as Float64Array;
      const sorted = cuts[f] as Float64Array;
      for (let r = 0; r < m; r++) codes[r * F + f] = codeOf(sorted, column[from + r] as number);
    }
    sums.fill(0, 0, m);
    for (let t = 0; t < trees; t++) {
      const root = roots[t] as number;
      const rootWord = nodes[root * 2] as number;
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
            i0 = next(i0, w0, nodes[i0 * 2 + 1] as number, codes[b0 + (w0 >>> 16)] as number);
            w0 = nodes[i0 * 2] as number;
          }
          if (w1 >= 0) {
            i1 = next(i1, w1, nodes[i1 * 2 + 1] as number, codes[b1 + (w1 >>> 16)] as number);
            w1 = nodes[i1 * 2] as number;
          }
          if (w2 >= 0) {
            i2 = next(i2, w2, nodes[i2 * 2 + 1] as number, codes[b2 + (w2 >>> 16)] as number);
            w2 = nodes[i2 * 2] as number;
          }
          if (w3 >= 0) {
            i3 = next(i3, w3, nodes[i3 * 2 + 1] as number, codes[b3 + (w3 >>> 16)] as number);
            w3 = nodes[i3 * 2] as number;
          }
        }
        sums[r] = (sums[r] as number) + (values[nodes[i0 * 2 + 1] as number] as number);
        sums[r + 1] = (sums[r + 1] as number) + (values[nodes[i1 * 2 + 1] as number] as number);
        sums[r + 2] = (sums[r + 2] as number) + (values[nodes[i2 * 2 + 1] as number] as number);
        sums[r + 3] = (sums[r + 3] as number) + (values[nodes[i3 * 2 + 1] as number] as number);
      }
      for (; r < m; r++) {
        const base = r * F;
        let i = root;
        let w = rootWord;
        while (w >= 0) {
          i = next(i, w, nodes[i * 2 + 1] as number, codes[base + (w >>> 16)] as number);
          w = nodes[i * 2] as number;
        }
        sums[r] = (sums[r] as number) + (values[nodes[i * 2 + 1] as number] as number);
      }
    }
    for (let r = 0; r < m; r++) out[from + r] = (sums[r] as number) / trees;
  }
}

/**
 * The child of split node `i` (word `w`, right child `right`) for a value of code `code`, without a
 * branch: the direction is a coin flip at most nodes, and a mispredicted branch costs more than
 * computing both children and selecting one with a mask.
 */
function next(i: number, w: number, right: number, code: number): number {
  const toRight = ((w & 0xffff) - code) >> 31; // -1 when code > threshold code
  const left = i + 1;
  return left ^ ((left ^ right) & toRight);
}

/** Rows whose codes (two bytes a feature) fill BLOCK_CODE_BYTES. */
export function blockRows(features: number): number {
  return Math.max(64, Math.floor(BLOCK_CODE_BYTES / (2 * Math.max(1, features))));
}
