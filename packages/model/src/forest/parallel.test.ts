// The worker threads run the built worker script, so this test drives the built package (`pnpm test`
// builds it first); from sources alone every fit stays on the calling thread.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as built from "../../dist/index.js";
import { Random } from "../random.js";

/** Every tree's arrays as one buffer: comparing typed arrays element by element in expect() is slow. */
function bytesOf(trees: readonly built.FlatTree[]): Buffer {
  return Buffer.concat(trees.flatMap((t) => [t.feature, t.threshold, t.left, t.right, t.value].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
}

function data(n: number, seed: number) {
  const r = new Random(seed);
  const X = Array.from({ length: 5 }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const col of X) col[i] = r.next();
    (X[1] as Float64Array)[i] = r.int(6);
    y[i] = r.next() < ((X[0] as Float64Array)[i] as number) * 0.6 + ((X[1] as Float64Array)[i] as number) * 0.05 ? 1 : 0;
  }
  return { X, y };
}

describe("forest on worker threads (built package)", () => {
  // 25,000 rows × 100 trees: large enough to go to the workers.
  const { X, y } = data(25_000, 5);

  it("grows the same forest on two workers as on one thread, twice on the same (kept) workers", async () => {
    expect(built.startTreeWorkers({ rows: 25_000, trees: 100, threads: 2 })).toBe(true);
    const one = new built.RandomForestClassifier({ seed: 3 }).fit(X, y);
    const progress: number[] = [];
    const two = await new built.RandomForestClassifier({ seed: 3 }).fitAsync(X, y, { threads: 2, onProgress: (p) => progress.push(p.treesBuilt) });
    expect(two.trees.length).toBe(100);
    expect(bytesOf(two.trees).equals(bytesOf(one.trees))).toBe(true);
    expect(Buffer.from(two.oobProba.buffer).equals(Buffer.from(one.oobProba.buffer))).toBe(true);
    expect(Array.from(two.featureImportances)).toEqual(Array.from(one.featureImportances));
    expect(progress.at(-1)).toBe(100);
    const again = await new built.RandomForestClassifier({ seed: 4 }).fitAsync(X, y, { threads: 2 });
    expect(bytesOf(again.trees).equals(bytesOf(new built.RandomForestClassifier({ seed: 4 }).fit(X, y).trees))).toBe(true);
    expect(bytesOf(again.trees).equals(bytesOf(two.trees))).toBe(false);
    await built.stopTreeWorkers();
  });

  it("runs two fits asked for at once one after the other, each with its own trees", async () => {
    const [a, b] = await Promise.all([
      new built.RandomForestClassifier({ seed: 5 }).fitAsync(X, y, { threads: 2 }),
      new built.RandomForestClassifier({ seed: 6 }).fitAsync(X, y, { threads: 2 }),
    ]);
    expect(bytesOf(a.trees).equals(bytesOf(new built.RandomForestClassifier({ seed: 5 }).fit(X, y).trees))).toBe(true);
    expect(bytesOf(b.trees).equals(bytesOf(new built.RandomForestClassifier({ seed: 6 }).fit(X, y).trees))).toBe(true);
    await built.stopTreeWorkers();
  });

  it("starts no workers for fits that stay on the calling thread", () => {
    expect(built.startTreeWorkers({ rows: 1000, trees: 100, threads: 2 })).toBe(false);
    expect(built.startTreeWorkers({ rows: 25_000, trees: 100, threads: 1 })).toBe(false);
  });
});

describe("scoring on worker threads (built package)", () => {
  const { X, y } = data(5000, 8);
  const a = new built.RandomForestClassifier({ nEstimators: 30, seed: 1 }).fit(X, y);
  const b = new built.RandomForestClassifier({ nEstimators: 40, seed: 2, maxDepth: 6 }).fit(X, y);
  // 40,000 rows × 30 trees: past the size that goes to the workers.
  const { X: big } = data(40_000, 9);
  const same = (p: Float64Array, q: Float64Array) => Buffer.from(p.buffer).equals(Buffer.from(q.buffer));

  it("gives the same scores bit for bit on one, two and three threads, forest after forest", async () => {
    expect(built.startScoreWorkers(2)).toBe(true);
    const refA = a.predictProba(big);
    const refB = b.predictProba(big);
    expect(same(await a.predictProbaAsync(big, { threads: 2 }), refA)).toBe(true);
    // The workers keep the forest they were sent; another forest replaces it, and back again.
    expect(same(await b.predictProbaAsync(big, { threads: 2 }), refB)).toBe(true);
    expect(same(await a.predictProbaAsync(big, { threads: 2 }), refA)).toBe(true);
    const [p, q] = await Promise.all([a.predictProbaAsync(big, { threads: 3 }), b.predictProbaAsync(big, { threads: 3 })]);
    expect(same(p, refA) && same(q, refB)).toBe(true);
    let ran = false;
    const meanwhile = () => {
      ran = true;
    };
    expect(same(await a.predictProbaAsync(big, { threads: 2, meanwhile }), refA)).toBe(true);
    expect(ran).toBe(true);
    // An asynchronous meanwhile: the workers go on scoring while it waits, and the scores do not change.
    let waited = false;
    const later = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      waited = true;
    };
    expect(same(await a.predictProbaAsync(big, { threads: 2, meanwhile: later }), refA)).toBe(true);
    expect(waited).toBe(true);
    expect(same(await a.predictProbaAsync(big, { threads: 1 }), refA)).toBe(true);
    await built.stopScoreWorkers();
  });

  it("scores a stream of batches of changing sizes, some at once, each as on one thread (the shared buffers are reused)", async () => {
    expect(built.startScoreWorkers(2)).toBe(true);
    const rows = (from: number, to: number) => big.map((col) => col.slice(from, to));
    // Larger and smaller than the batch before (a buffer up to twice the size is handed on), and two at once.
    for (const [from, to] of [
      [0, 40_000],
      [5_000, 35_000],
      [0, 40_000],
      [1, 21_000],
      [20_000, 40_000],
    ] as const) {
      const part = rows(from, to);
      expect(same(await a.predictProbaAsync(part, { threads: 2 }), a.predictProba(part))).toBe(true);
    }
    const p = rows(0, 30_000);
    const q = rows(10_000, 40_000);
    const [sp, sq] = await Promise.all([a.predictProbaAsync(p, { threads: 2 }), b.predictProbaAsync(q, { threads: 2 })]);
    expect(same(sp, a.predictProba(p)) && same(sq, b.predictProba(q))).toBe(true);
    // pipe predict's pipeline: a batch queued while its caller is busy elsewhere, whose chunks this
    // thread may take while it waits for the workers to finish an earlier batch.
    for (const [later, earlier] of [
      [b, a],
      [a, a],
    ] as const) {
      let free = () => {};
      const busy = new Promise<void>((resolve) => {
        free = resolve;
      });
      const queued = later.predictProbaAsync(q, { threads: 2, meanwhile: () => busy });
      const first = await earlier.predictProbaAsync(p, { threads: 2 });
      free();
      expect(same(first, earlier.predictProba(p)) && same(await queued, later.predictProba(q))).toBe(true);
    }
    await built.stopScoreWorkers();
  });

  it("lets the process exit with idle workers started and never used", () => {
    const url = new URL("../../dist/index.js", import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(url)}); m.startTreeWorkers({ rows: 100000, trees: 100, threads: 2 }); m.startScoreWorkers(2); await new Promise((r) => setTimeout(r, 300)); console.log("exiting");`;
    // From a file: \`node -e\` ends its process another way, and exited even while the workers held it.
    const dir = mkdtempSync(join(tmpdir(), "pipe-exit-"));
    try {
      writeFileSync(join(dir, "idle.mjs"), script);
      // A worker that holds the process would run into the timeout and throw.
      const out = execFileSync(process.execPath, [join(dir, "idle.mjs")], { timeout: 15_000, encoding: "utf8" });
      expect(out.trim()).toBe("exiting");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("explanations on worker threads (built package)", () => {
  // Fully grown trees on 6,000 rows: ~45,000 nodes, so a handful of rows is worth sharing out by tree groups
  // (EXPLAIN_SPLIT_NODES) and 200 rows by blocks of rows.
  const { X, y } = data(6000, 11);
  const frame = {
    rows: 6000,
    numeric: new Map(X.map((col, f) => [`x${f}`, col] as const)),
    categorical: new Map<string, readonly string[]>([["kind", Array.from({ length: 6000 }, (_, i) => ["a", "b", "c"][i % 3] as string)]]),
  };
  const features = [...X.map((_, f) => ({ name: `x${f}`, kind: "numeric" as const })), { name: "kind", kind: "categorical" as const }];
  const records = Array.from({ length: 200 }, (_, i) => ({ ...Object.fromEntries(X.map((col, f) => [`x${f}`, col[i]])), kind: ["a", "b", "c"][i % 3] }));

  it("gives the same explanations bit for bit on two threads as on one, for a few rows (tree groups) and many (blocks of rows)", async () => {
    const { model } = await built.trainModel(frame, features, y, {
      target: "y",
      classes: ["0", "1"],
      positiveClass: "1",
      testSize: 0.3,
      seed: 1,
      dataSha256: "test",
      forest: { nEstimators: 40 },
    });
    const loaded = built.PipeModel.parse(model.serialize());
    // Past 40,000 nodes, 5 rows pass EXPLAIN_SPLIT_NODES (200,000 nodes walked) and go to the workers by tree groups.
    expect(loaded.state.forest?.packedTrees().nodes.length).toBeGreaterThan(40_000);
    expect(built.startScoreWorkers(2)).toBe(true);
    for (const count of [1, 5, 16, 200]) {
      const batch = records.slice(0, count);
      const one = await loaded.explainEachAsync(batch, {}, { threads: 1 });
      const two = await loaded.explainEachAsync(batch, {}, { threads: 2 });
      expect(two).toEqual(one);
      // And as `explain` gives each alone.
      expect(one.map((p) => (p instanceof Error ? p : p.explanation))).toEqual(batch.map((r) => loaded.explain(r).explanation));
    }
    await built.stopScoreWorkers();
  }, 60_000);
});
