// Entry point of a forest worker thread, in one of two roles. A tree grower warms up on a small
// synthetic forest, then serves jobs: takes tree indices from the job's shared counter until none are
// left, grows each tree on the shared binned data, and posts it back. A scorer (workerData.role
// "score") scores the shares of rows it is sent with the last forest it was sent.
import { parentPort, workerData } from "node:worker_threads";
import { type TreeExplainer, treeExplainer } from "../explain/tree-shap.js";
import { Random } from "../random.js";
import { predictPackedRows } from "./batch.js";
import type { PackedForest } from "./packed.js";
import type { TreeJob, WorkerMessage } from "./parallel.js";
import { explainChunks, explainTreeGroups, type ScoreJob, type ScoreReply } from "./score-pool.js";
import { growTree, type TrainingData } from "./tree.js";
import { warmUpScoring } from "./warm-up.js";

/** The job's data in private copies: V8 optimises loads from non-shared typed arrays better (~1.4× faster trees). */
function localData(job: TreeJob): TrainingData {
  return {
    bins: new Uint8Array(job.bins).slice(),
    edges: job.edges,
    n: job.n,
    nFeatures: job.nFeatures,
    y: new Uint8Array(job.y).slice(),
    classWeight: job.classWeight,
  };
}

function serve(job: TreeJob): void {
  const data = localData(job);
  const next = new Int32Array(job.next);
  for (;;) {
    const index = Atomics.add(next, 0, 1);
    if (index >= job.seeds.length) break;
    const grown = growTree(data, job.params, job.seeds[index] as number, job.bootstrap);
    // Copied, not transferred: detaching a buffer makes V8 throw away every optimised function that
    // reads typed arrays in this thread (the whole tree grower), and the next trees would run cold.
    parentPort?.postMessage({ kind: "tree", job: job.id, index, tree: grown } satisfies WorkerMessage);
  }
  parentPort?.postMessage({ kind: "done", job: job.id } satisfies WorkerMessage);
}

/**
 * Throw-away forests on random data, built through the same path as a real job, so the optimising
 * compiler has the tree code ready before real trees arrive (a cold worker grows its first trees
 * several times slower). Two data sets, because the second object of each kind (data, work arrays)
 * widens what V8 assumed about the first one's fields and discards the code compiled for it; after
 * that, real jobs reuse the widened code.
 */
function warmUp(): void {
  const rng = new Random(1);
  warmUpOn(rng, 600, 2);
  warmUpOn(rng, 3000, 16);
}

function warmUpOn(rng: Random, n: number, trees: number): void {
  const nFeatures = 8;
  const bins = new SharedArrayBuffer(n * nFeatures);
  const b = new Uint8Array(bins);
  for (let i = 0; i < b.length; i++) b[i] = rng.int(64);
  const y = new SharedArrayBuffer(n);
  const yv = new Uint8Array(y);
  // Labels that depend on two features, so the trees have real splits to find.
  for (let i = 0; i < n; i++) yv[i] = (b[i] as number) + (b[n + i] as number) + rng.int(32) > 79 ? 1 : 0;
  const edges = Array.from({ length: nFeatures }, () => Float64Array.from({ length: 63 }, (_, k) => k + 0.5));
  const params = { maxFeatures: 3, maxDepth: Number.MAX_SAFE_INTEGER, minSamplesSplit: 2, minSamplesLeaf: 1 };
  const seeds = Array.from({ length: trees }, (_, t) => t + 1);
  // Cloned as a posted job is, so its objects have the same shapes as a real job's.
  const job: TreeJob = structuredClone({
    id: 0,
    bins,
    y,
    edges,
    n,
    nFeatures,
    classWeight: [1, 1],
    params,
    bootstrap: true,
    seeds,
    next: new SharedArrayBuffer(4),
  });
  const data = localData(job);
  for (const seed of job.seeds) growTree(data, job.params, seed, job.bootstrap);
}

let forest: { key: number; packed: PackedForest; explainer?: { playerOf: Int32Array; explainer: TreeExplainer } } | undefined;

function score(job: ScoreJob): ScoreReply {
  if (job.forest) {
    const { key, nodes, values, roots, cuts, layout, far, covers } = job.forest;
    forest = { key, packed: { nodes, values, roots, cuts, layout, far, codes: new Int32Array(cuts.length), covers } };
  }
  if (forest?.key !== job.forestKey) return { kind: "failed", id: job.id, message: "the forest to score with was never sent" };
  if (job.explain) return explain(job, job.explain);
  const { n, chunk } = job;
  const next = new Int32Array(job.next);
  const shared = new Float64Array(job.out);
  let X: Float64Array[] | undefined;
  let out: Float64Array | undefined;
  for (;;) {
    const start = Atomics.add(next, 0, chunk);
    if (start >= n) break;
    // Private copies, made once there is work: V8 reads non-shared typed arrays faster.
    X ??= privateColumns(job.X, forest.packed.cuts.length, n);
    out ??= scratchOut(n);
    const end = Math.min(n, start + chunk);
    predictPackedRows(forest.packed, X, out, start, end);
    shared.set(out.subarray(start, end), start);
    // Counted once its scores are in place: the caller may wait for this count instead of the message.
    if (next.length > 1) Atomics.add(next, 1, end - start);
  }
  return { kind: "done", id: job.id };
}

/**
 * The scoring jobs' private copies, kept from job to job and grown when a batch is larger: a stream
 * of batches made a new set per batch, which this thread (allocating little else) collected so
 * seldom that tens of MB of them were alive at once.
 */
const scratch = { columns: [] as Float64Array[], out: new Float64Array(0) };

/** Columns 0 … count − 1 of a shared column-major matrix of n rows, copied into the scratch columns. */
function privateColumns(matrix: SharedArrayBuffer, count: number, n: number): Float64Array[] {
  return Array.from({ length: count }, (_, f) => {
    let column = scratch.columns[f];
    if (column === undefined || column.length < n) {
      column = new Float64Array(n);
      scratch.columns[f] = column;
    }
    const copy = column.subarray(0, n);
    copy.set(new Float64Array(matrix, 8 * n * f, n));
    return copy;
  });
}

function scratchOut(n: number): Float64Array {
  if (scratch.out.length < n) scratch.out = new Float64Array(n);
  return scratch.out.subarray(0, n);
}

/** A share of an explanation job: the explainer built once per forest and players, the rows by chunks. */
function explain(job: ScoreJob, players: NonNullable<ScoreJob["explain"]>): ScoreReply {
  const f = forest as NonNullable<typeof forest>;
  const same = f.explainer && f.explainer.playerOf.length === players.playerOf.length && f.explainer.playerOf.every((g, i) => g === players.playerOf[i]);
  try {
    if (!same) f.explainer = { playerOf: players.playerOf, explainer: treeExplainer(f.packed, players.playerOf, players.players) };
  } catch (error) {
    return { kind: "failed", id: job.id, message: (error as Error).message };
  }
  const { n } = job;
  const X = Array.from(f.packed.cuts, (_, k) => new Float64Array(job.X, 8 * n * k, n).slice());
  const explainer = (f.explainer as { explainer: TreeExplainer }).explainer;
  if (players.byTreeGroups) explainTreeGroups(explainer, X, n, new Float64Array(job.out), new Int32Array(job.next));
  else explainChunks(explainer, X, n, new Float64Array(job.out), new Int32Array(job.next), job.chunk);
  return { kind: "done", id: job.id };
}

if ((workerData as { role?: string } | null)?.role === "score") {
  warmUpScoring();
  parentPort?.on("message", (job: ScoreJob) => parentPort?.postMessage(score(job)));
} else {
  warmUp();
  parentPort?.on("message", (job: TreeJob) => serve(job));
}
