import { Random } from "../random.js";
import { predictPackedRows } from "./batch.js";
import { packForest } from "./packed.js";
import { emptyFlatTree, type FlatTree } from "./tree.js";

/**
 * Scores rows of random data with a small random forest, through the same function as real jobs,
 * so that the first real chunk runs optimised code (cold, Adult's 10,000 rows took 3× longer).
 */
export function warmUpScoring(): void {
  const rng = new Random(2);
  const trees = Array.from({ length: 8 }, () => randomTree(rng, 10, 6));
  const packed = packForest(trees, 6);
  const n = 4096;
  const X = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => rng.next()));
  const out = new Float64Array(n);
  // Many calls, not one long one: V8 optimises a function called often; a single call's loop only
  // gets code for that call (on-stack replacement), and the next call starts cold again.
  for (let k = 0; k < 300; k++) predictPackedRows(packed, X, out, (k * 32) % n, ((k * 32) % n) + 32, 32);
}

/** A random full tree of the given depth over `features` features in [0, 1). */
function randomTree(rng: Random, depth: number, features: number): FlatTree {
  const size = 2 ** (depth + 1) - 1;
  const t = emptyFlatTree(size);
  for (let i = 0; i < size; i++) {
    if (2 * i + 2 < size) {
      t.feature[i] = rng.int(features);
      t.threshold[i] = Math.round(rng.next() * 64) / 64;
      t.left[i] = 2 * i + 1;
      t.right[i] = 2 * i + 2;
    } else t.value[i] = rng.next();
  }
  return t;
}
