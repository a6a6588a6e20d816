import { describe, expect, it } from "vitest";
import type { PackedForest } from "./packed.js";
import { EXPLAIN_SPLIT_NODES, explainSharing, scoringHelpers } from "./score-pool.js";

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

describe("explainSharing", () => {
  const adult = 560_890; // the default forest's nodes on Adult

  it("shares a batch of one block by tree groups, every thread walking all its rows", () => {
    expect(explainSharing(1, adult, 2, 8)).toEqual({ by: "tree groups", helpers: 1 });
    expect(explainSharing(8, adult, 2, 8)).toEqual({ by: "tree groups", helpers: 1 });
    expect(explainSharing(16, adult, 4, 8)).toEqual({ by: "tree groups", helpers: 3 });
    // No more helpers than groups to give them.
    expect(explainSharing(4, adult, 16, 3)).toEqual({ by: "tree groups", helpers: 2 });
  });

  it("shares a larger batch by blocks of rows", () => {
    expect(explainSharing(17, adult, 2, 8)).toEqual({ by: "rows", helpers: 1 });
    expect(explainSharing(1000, adult, 4, 8)).toEqual({ by: "rows", helpers: 3 });
  });

  it("keeps a small walk on the calling thread, and everything on one thread", () => {
    // 100 boosted 31-leaf trees: 6,100 nodes.
    expect(explainSharing(8, 6100, 2, 8)).toEqual({ by: "rows", helpers: 0 });
    expect(explainSharing(1, EXPLAIN_SPLIT_NODES - 1, 2, 8)).toEqual({ by: "rows", helpers: 0 });
    expect(explainSharing(1, EXPLAIN_SPLIT_NODES, 2, 8)).toEqual({ by: "tree groups", helpers: 1 });
    expect(explainSharing(8, adult, 1, 8)).toEqual({ by: "rows", helpers: 0 });
    expect(explainSharing(8, adult, 2, 1)).toEqual({ by: "rows", helpers: 1 });
  });
});
