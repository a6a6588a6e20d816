import { emptyFlatTree, type FlatTree } from "./tree.js";

/** The features of farChain's forest: 5,000 (13 bits of a split word). */
export const FAR_CHAIN_FEATURES = 5000;

/**
 * A tree whose right children lie too far ahead for a packed node's offset field: with 5,000 features
 * (13 bits) and 150 thresholds on each feature used (8 bits), 10 bits are left for the offset, and a
 * left-leaning chain of 1,500 splits puts the root's right child 1,500 nodes ahead.
 */
export function farChain(): FlatTree {
  const chain = emptyFlatTree(3001);
  for (let k = 0; k < 1500; k++) {
    chain.feature[k] = k % 10;
    chain.threshold[k] = k;
    chain.left[k] = k + 1;
    chain.right[k] = 1501 + k;
    chain.value[1501 + k] = (k % 7) / 7;
  }
  chain.value[1500] = 1;
  return chain;
}

/** Rows for farChain's forest: its ten used features spread over its thresholds, the others 0. */
export function farChainRows(n: number): Float64Array[] {
  return Array.from({ length: FAR_CHAIN_FEATURES }, (_, f) => Float64Array.from({ length: n }, (_, i) => (f < 10 ? (i * 37 + f * 101) % 1600 : 0)));
}
