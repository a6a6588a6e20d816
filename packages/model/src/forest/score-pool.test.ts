import { describe, expect, it } from "vitest";
import type { PackedForest } from "./packed.js";
import { scoringHelpers } from "./score-pool.js";

/** A forest of `trees` trees of `nodesPerTree` nodes each, as far as the helper count reads it. */
const forest = (trees: number, nodesPerTree: number) =>
  ({ roots: new Int32Array(trees), nodes: new Int32Array(trees * nodesPerTree) }) as unknown as PackedForest;

describe("scoringHelpers", () => {
  it("shares a batch by the tree levels it walks, not its row × tree walks alone", () => {
    // Adult's default forest: 100 fully grown trees of ~5,600 nodes (~12 levels): 1,000 rows are worth a worker.
    expect(scoringHelpers(forest(100, 5609), 1000, 2)).toBe(1);
    // 100 boosted 31-leaf trees (61 nodes, ~6 levels): the same 1,000 rows are not; 2,000 are.
    expect(scoringHelpers(forest(100, 61), 1000, 2)).toBe(0);
    expect(scoringHelpers(forest(100, 61), 2000, 2)).toBe(1);
  });

  it("never asks for more helpers than the other threads, nor any on one thread", () => {
    expect(scoringHelpers(forest(100, 5609), 1_000_000, 4)).toBe(3);
    expect(scoringHelpers(forest(100, 5609), 1_000_000, 1)).toBe(0);
    expect(scoringHelpers(forest(100, 5609), 0, 4)).toBe(0);
  });
});
