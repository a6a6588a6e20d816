/**
 * The search for a node's best split on one feature, over rows [start, end) of `rows`.
 *
 * Class counts travel packed in one float per row: the bootstrap multiplicity of a class-0 row, or
 * multiplicity × 2^26 for a class-1 row. Sums stay exact integers below 2^53, so one histogram (one
 * add per row) carries both classes; class weights are applied when a split is scored.
 */
export const CLASS1 = 2 ** 26;
const INV_CLASS1 = 2 ** -26;
/** Largest training set whose packed counts stay exact (class-0 sums below 2^26). */
export const MAX_TREE_ROWS = CLASS1 - 1;
/** Nodes with fewer rows sort them instead of filling a histogram (cheaper than scanning its bins). */
export const SMALL_NODE = 24;
/** Histogram slots per copy: bins are Uint8. */
const BINS = 256;

/** What a node's search needs besides the feature; fixed for the whole node. */
export interface NodeSearch {
  bins: Uint8Array;
  rows: Int32Array;
  packed: Float64Array;
  start: number;
  end: number;
  /** The node's class counts (bootstrap multiplicities). */
  c0: number;
  c1: number;
  cw0: number;
  cw1: number;
  minLeaf: number;
  /** Two histogram copies of 256 slots, all zero between searches. */
  hist: Float64Array;
  /** Distinct rows per bin, used only when minLeaf > 1; all zero between searches. */
  hc: Int32Array;
  sortKey: Int32Array;
  /** Out: score, bin, class-0 and class-1 counts on the left of the feature's best split. */
  found: Float64Array;
}

/**
 * Best split of the node on the feature whose column starts at `base` (nb bins). Returns false when
 * the feature is constant in the node; otherwise fills `s.found` (score -Infinity when no split
 * leaves minLeaf rows on each side).
 */
export function searchFeature(s: NodeSearch, base: number, nb: number): boolean {
  return s.end - s.start < SMALL_NODE ? searchSorted(s, base) : searchHistogram(s, base, nb);
}

function searchHistogram(s: NodeSearch, base: number, nb: number): boolean {
  if (s.minLeaf > 1) fillCounted(s, base);
  else fill(s, base);
  return scan(s, nb);
}

// The fill loops and the scan are separate functions so that each is compiled on its own as soon as
// it is hot: a function compiled in the middle of its first loop knows nothing of the code after it.

function fill(s: NodeSearch, base: number): void {
  const { bins, rows, packed, start, end, hist } = s;
  // Two interleaved copies: rows of a low-cardinality feature mostly land in the same bin, and one
  // histogram would chain every add on the store before it.
  let k = start;
  for (; k + 1 < end; k += 2) {
    const b = bins[base + (rows[k] as number)] as number;
    const b2 = (bins[base + (rows[k + 1] as number)] as number) + BINS;
    hist[b] = (hist[b] as number) + (packed[k] as number);
    hist[b2] = (hist[b2] as number) + (packed[k + 1] as number);
  }
  if (k < end) {
    const b = bins[base + (rows[k] as number)] as number;
    hist[b] = (hist[b] as number) + (packed[k] as number);
  }
}

/** As `fill`, also counting distinct rows per bin (for minLeaf > 1). */
function fillCounted(s: NodeSearch, base: number): void {
  const { bins, rows, packed, start, end, hist, hc } = s;
  for (let k = start; k < end; k++) {
    const b = bins[base + (rows[k] as number)] as number;
    hist[b] = (hist[b] as number) + (packed[k] as number);
    hc[b] = (hc[b] as number) + 1;
  }
}

/** Left to right, clearing the histogram on the way; a feature whose rows fill one bin is constant. */
function scan(s: NodeSearch, nb: number): boolean {
  const { hist, hc, minLeaf, c0, c1, cw0, cw1, found } = s;
  const countRows = minLeaf > 1;
  const count = s.end - s.start;
  let acc = 0;
  let lc = 0;
  let filled = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestBin = -1;
  let bestAcc = 0;
  for (let b = 0; b < nb; b++) {
    const v = (hist[b] as number) + (hist[b + BINS] as number);
    if (v === 0) continue;
    hist[b] = 0;
    hist[b + BINS] = 0;
    filled++;
    acc += v;
    if (countRows) {
      lc += hc[b] as number;
      hc[b] = 0;
      if (lc < minLeaf || count - lc < minLeaf) continue;
    }
    const score = scoreLeft(acc, c0, c1, cw0, cw1);
    if (score > bestScore) {
      bestScore = score;
      bestBin = b;
      bestAcc = acc;
    }
  }
  if (filled === 1) return false;
  report(found, bestScore, bestBin, bestAcc);
  return true;
}

/** Small nodes: insertion sort of (bin, position) keys, then a walk over runs of equal bins. */
function searchSorted(s: NodeSearch, base: number): boolean {
  const { bins, rows, packed, start, end, sortKey, minLeaf, c0, c1, cw0, cw1, found } = s;
  const count = end - start;
  for (let k = start; k < end; k++) {
    const key = ((bins[base + (rows[k] as number)] as number) << 16) | (k - start);
    let i = k - start - 1;
    while (i >= 0 && (sortKey[i] as number) > key) {
      sortKey[i + 1] = sortKey[i] as number;
      i--;
    }
    sortKey[i + 1] = key;
  }
  if ((sortKey[0] as number) >>> 16 === (sortKey[count - 1] as number) >>> 16) return false;
  let acc = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestBin = -1;
  let bestAcc = 0;
  for (let i = 0; i < count - 1; i++) {
    const key = sortKey[i] as number;
    acc += packed[start + (key & 0xffff)] as number;
    const b = key >>> 16;
    if ((sortKey[i + 1] as number) >>> 16 === b) continue;
    if (i + 1 < minLeaf || count - i - 1 < minLeaf) continue;
    const score = scoreLeft(acc, c0, c1, cw0, cw1);
    if (score > bestScore) {
      bestScore = score;
      bestBin = b;
      bestAcc = acc;
    }
  }
  report(found, bestScore, bestBin, bestAcc);
  return true;
}

function report(found: Float64Array, score: number, bin: number, acc: number): void {
  const l1 = Math.floor(acc * INV_CLASS1);
  found[0] = score;
  found[1] = bin;
  found[2] = acc - l1 * CLASS1;
  found[3] = l1;
}

/**
 * The Gini proxy scikit-learn maximises, (L0² + L1²)/wL + (R0² + R1²)/wR, of the split whose left
 * side holds the packed counts `acc`; -Infinity when a side is empty.
 */
function scoreLeft(acc: number, c0: number, c1: number, cw0: number, cw1: number): number {
  const n1 = Math.floor(acc * INV_CLASS1);
  const n0 = acc - n1 * CLASS1;
  const l0 = n0 * cw0;
  const l1 = n1 * cw1;
  const r0 = (c0 - n0) * cw0;
  const r1 = (c1 - n1) * cw1;
  const wl = l0 + l1;
  const wr = r0 + r1;
  if (wl <= 0 || wr <= 0) return Number.NEGATIVE_INFINITY;
  return (l0 * l0 + l1 * l1) / wl + (r0 * r0 + r1 * r1) / wr;
}
