import { Worker } from "node:worker_threads";
import { ModelError } from "../errors.js";
import { sumGroups, type TreeExplainer, BLOCK as WALK_BLOCK } from "../explain/tree-shap.js";
import { blockRows, predictPackedRows } from "./batch.js";
import type { PackedForest } from "./packed.js";
import { defaultThreads, workerUrl } from "./parallel.js";
import { warmUpScoring } from "./warm-up.js";

/**
 * A batch to help score, as a scoring worker receives it; the forest comes once per worker. Rows go
 * by chunks: each thread takes the next chunk from the shared counter until none is left, so a
 * slower (or later) thread takes fewer.
 */
export interface ScoreJob {
  kind: "score";
  id: number;
  forest?: Omit<PackedForest, "codes"> & { key: number };
  forestKey: number;
  /** The matrix, column after column (n rows each). */
  X: SharedArrayBuffer;
  n: number;
  /** Scores of the chunks a worker took. */
  out: SharedArrayBuffer;
  /** First row of the next chunk to take; for scoring, then the rows the workers have scored (Int32 each). */
  next: SharedArrayBuffer;
  chunk: number;
  /**
   * Explain instead of score: TreeSHAP with these players (see treeExplainer); `out` then holds, per
   * row, its players' contributions followed by its score; with `byTreeGroups`, `next` counts tree
   * groups instead of rows and `out` holds each group's part of every row (see explainTreeGroups).
   */
  explain?: { playerOf: Int32Array; players: number; byTreeGroups?: boolean };
}

export type ScoreReply = { kind: "done"; id: number } | { kind: "failed"; id: number; message: string };

/** Below this many tree nodes visited (rows × the forest's nodes: some tens of milliseconds) a batch is explained on the calling thread alone. */
export const EXPLAIN_PARALLEL_NODES = 1_000_000;

/**
 * Below this many tree nodes visited a batch of one block is explained on the calling thread alone,
 * above it its tree groups are shared out (a worker's message costs about 0.1 ms; 200,000 nodes some
 * milliseconds of walk): one Adult row through the default forest's 560,890 nodes is.
 */
export const EXPLAIN_SPLIT_NODES = 200_000;

/**
 * Below this many tree levels walked (rows × trees × a tree's depth, estimated as log2 of its mean
 * node count) a batch is scored on the calling thread alone: handing a share to a worker costs a
 * copy of it and a message each way. 1,000 rows through 100 fully grown Adult trees (6 ms on one
 * thread, measured) are shared; through 100 boosted 31-leaf trees, a walk of a few levels each, not.
 */
export const PARALLEL_LEVELS = 1_000_000;

/** How many workers help score n rows through `p` (0: not worth a message). */
export function scoringHelpers(p: PackedForest, n: number, threads: number): number {
  const trees = Math.max(1, p.roots.length);
  const depth = Math.log2(1 + p.nodes.length / trees);
  return Math.max(0, Math.min(threads - 1, Math.floor((n * trees * depth) / PARALLEL_LEVELS)));
}

/**
 * Worker threads that score shares of a batch while the calling thread scores its own. Each worker
 * keeps the last forest it was sent, so a stream of batches on one model copies the forest once.
 * Idle workers do not keep the process alive.
 */
class ScorePool {
  private readonly workers: Worker[] = [];
  /** Per worker, the forest it holds (its key) and whether it was sent the covers. */
  private readonly holds: ({ key: number; covers: boolean } | undefined)[] = [];
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void; worker: number }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(
    readonly size: number,
    url: URL,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { workerData: { role: "score" } });
      worker.on("message", (m: ScoreReply) => this.settle(m));
      worker.on("error", (e) => this.fail(e));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new ModelError(`a scoring worker stopped with code ${code}`));
      });
      // After the listeners, which ref the worker again (see TreePool).
      worker.unref();
      this.workers.push(worker);
      this.holds.push(undefined);
    }
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const [, p] of this.pending) p.reject(e);
    this.pending.clear();
  }

  private settle(m: ScoreReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    const worker = this.workers[p.worker] as Worker;
    if (![...this.pending.values()].some((q) => q.worker === p.worker)) worker.unref();
    if (m.kind === "done") p.resolve();
    else p.reject(new ModelError(`a scoring worker failed: ${m.message}`));
  }

  help(w: number, p: PackedForest, job: Omit<ScoreJob, "kind" | "id" | "forest" | "forestKey">): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[w] as Worker;
    const key = forestKey(p);
    const message: ScoreJob = { kind: "score", id: this.nextId++, forestKey: key, ...job };
    // Covers go only to a worker that explains: scoring never reads them (a loaded model decodes them when first asked).
    const held = this.holds[w];
    if (held?.key !== key || (job.explain !== undefined && !held.covers)) {
      const covers = job.explain !== undefined ? p.covers : undefined;
      message.forest = { key, nodes: p.nodes, values: p.values, roots: p.roots, cuts: p.cuts, layout: p.layout, far: p.far, covers };
      this.holds[w] = { key, covers: covers !== undefined };
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject, worker: w });
      worker.ref();
      worker.postMessage(message);
    });
  }

  close(): Promise<void> {
    return Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined);
  }
}

const keys = new WeakMap<PackedForest, number>();
let lastKey = 0;
function forestKey(p: PackedForest): number {
  let k = keys.get(p);
  if (k === undefined) {
    k = ++lastKey;
    keys.set(p, k);
  }
  return k;
}

/** Walked nodes past this many bytes are fetched once per thread and batch, not once per chunk (see predictPackedParallel). */
const LARGE_FOREST_BYTES = 4 * 1024 * 1024;

let pool: ScorePool | undefined;

function poolOf(size: number): ScorePool | undefined {
  const url = workerUrl();
  if (!url) return undefined;
  // A larger pool serves a batch that needs fewer helpers (its first ones help): no churn of threads.
  if (pool && (pool.size < size || pool.broken)) {
    void pool.close();
    pool = undefined;
  }
  pool ??= new ScorePool(size, url);
  return pool;
}

/** Stops the scoring worker threads (started again by the next large batch). */
export async function stopScoreWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}

/**
 * Starts the scoring workers a large batch would use, ahead of it: a worker needs some tens of
 * milliseconds to start and warm up, better spent while the caller reads its data. Also warms up
 * this thread's scorer (some tens of milliseconds), which scores its share of every large batch.
 */
export function startScoreWorkers(threads = defaultThreads()): boolean {
  const started = threads > 1 && poolOf(threads - 1) !== undefined;
  if (started) warmUpScoring();
  return started;
}

/**
 * Mean leaf value over the forest for every row of a column-major matrix, the rows shared between
 * the calling thread and `threads - 1` workers by chunks. Every row is scored by the same code
 * whichever thread takes it, so the result is the same bit for bit as `predictPackedRows`.
 * `meanwhile` runs on this thread once the workers have their job, before this thread takes chunks
 * (when it is asynchronous, the workers go on scoring while it waits).
 */
export async function predictPackedParallel(
  p: PackedForest,
  X: readonly Float64Array[],
  threads = defaultThreads(),
  meanwhile?: () => void | Promise<void>,
): Promise<Float64Array> {
  const n = X[0]?.length ?? 0;
  const out = new Float64Array(n);
  const helpers = scoringHelpers(p, n, threads);
  const workers = helpers > 0 ? poolOf(helpers) : undefined;
  if (!workers) {
    await meanwhile?.();
    predictPackedRows(p, X, out);
    return out;
  }
  // Chunks of at most a block each (see batch.ts): four per thread so that the threads even out, when
  // the forest is small enough to fetch again for each chunk; one per thread when the nodes the walk
  // reads (8 bytes each, see wasm/walk.wat) pass 4 MB, whose fetch then costs more than the threads'
  // unevenness (10,000 rows of the 200,000-row model on two threads: 67 ms with four chunks a thread,
  // 42 ms with one; `pipe predict` on a million Adult rows, 4.5 MB of nodes, by batches of 8,192:
  // 4.7 s and 8.0 CPU s with four, 4.1–4.3 s and 6.9–7.0 CPU s with one).
  const perThread = 8 * p.nodes.length > LARGE_FOREST_BYTES ? 1 : 4;
  const chunk = Math.max(256, Math.min(blockRows(X.length), Math.ceil(n / (perThread * (helpers + 1)))));
  const shared = spareShared.take(8 * n * X.length);
  X.forEach((col, f) => {
    new Float64Array(shared, 8 * n * f, n).set(col);
  });
  const sharedOut = spareShared.take(8 * n);
  // [first row of the next chunk to take, rows the workers have scored]
  const next = new Int32Array(new SharedArrayBuffer(8));
  const helping = Array.from({ length: helpers }, (_, w) => workers.help(w, p, { X: shared, n, out: sharedOut, next: next.buffer, chunk }));
  // A worker's failure surfaces below, when its share is awaited: not as an unhandled rejection while `meanwhile` waits.
  for (const h of helping) h.catch(() => undefined);
  // This thread reads its own (not shared) arrays, and keeps what it scored in `out`.
  const mine: number[] = [];
  let mineRows = 0;
  const takeChunk = (): boolean => {
    const start = Atomics.add(next, 0, chunk);
    if (start >= n) return false;
    const end = Math.min(n, start + chunk);
    predictPackedRows(p, X, out, start, end);
    mine.push(start);
    mineRows += end - start;
    return true;
  };
  // Work of the caller's own, done while the workers start on the chunks; meanwhile, a thread waiting
  // on another batch's workers may take a chunk of this one. Then this thread joins the workers.
  waitingForCaller.push(takeChunk);
  try {
    await meanwhile?.();
  } finally {
    waitingForCaller.splice(waitingForCaller.indexOf(takeChunk), 1);
  }
  while (takeChunk());
  // A worker takes no chunk once the counter is past the end: when this thread took them all, the
  // workers (still starting, perhaps) have nothing to give.
  if (mineRows < n) {
    // Rather than idle until the workers finish their chunks, this thread scores chunks of a later
    // batch still waiting for its caller (pipe predict's next batch: a million Adult rows, the main
    // thread idled 0.66 s of 3.6 while the worker finished the batch it was to write).
    while (Atomics.load(next, 1) < n - mineRows && waitingForCaller[0]?.());
    await Promise.all(helping);
    const theirs = new Float64Array(sharedOut, 0, n);
    const taken = new Set(mine);
    for (let start = 0; start < n; start += chunk) if (!taken.has(start)) out.set(theirs.subarray(start, Math.min(n, start + chunk)), start);
  }
  // No worker reads them any more: either each finished its share, or none took a chunk (a worker
  // still to start finds the counter past the end and touches neither).
  spareShared.give(shared);
  spareShared.give(sharedOut);
  return out;
}

/**
 * The chunk takers of the batches whose callers are busy with their `meanwhile`, oldest first: a
 * thread that would wait for its workers scores for one of these instead.
 */
const waitingForCaller: (() => boolean)[] = [];

/**
 * Shared buffers of finished batches, handed to the next ones: a buffer shared with a worker lives
 * until both threads' collections let it go, and a stream of batches (`pipe predict`) left tens of
 * MB of them waiting.
 */
const spareShared = {
  spare: [] as SharedArrayBuffer[],
  /** A buffer of at least `bytes` (and at most twice: a small batch does not hold on to a large one). */
  take(bytes: number): SharedArrayBuffer {
    const i = this.spare.findIndex((b) => b.byteLength >= bytes && b.byteLength <= 2 * bytes);
    return i < 0 ? new SharedArrayBuffer(bytes) : (this.spare.splice(i, 1)[0] as SharedArrayBuffer);
  },
  give(buffer: SharedArrayBuffer): void {
    if (this.spare.length < 8) this.spare.push(buffer);
  },
};

/**
 * TreeSHAP for every row of a column-major matrix, the rows shared between the calling thread (with
 * `explainer`, built on `p`) and worker threads by chunks, as `predictPackedParallel` shares scoring.
 * Per row, in one array: its players' contributions, then its score. Every thread runs the same code:
 * the result does not depend on which one took a row.
 */
export async function explainPackedParallel(
  p: PackedForest,
  explainer: TreeExplainer,
  playerOf: Int32Array,
  X: readonly Float64Array[],
  threads = defaultThreads(),
): Promise<Float64Array> {
  const n = X[0]?.length ?? 0;
  const players = explainer.players;
  const width = players + 1;
  const sharing = explainSharing(n, p.nodes.length, threads, explainer.groups);
  if (sharing.by === "tree groups") return explainByTreeGroups(p, explainer, playerOf, X, sharing.helpers);
  const shared = new SharedArrayBuffer(8 * n * width);
  const out = new Float64Array(shared);
  const helpers = sharing.helpers;
  const workers = helpers > 0 ? poolOf(helpers) : undefined;
  // Chunks of at most one block of rows walked together, as few per thread as that allows and of
  // equal sizes: 8 rows on two threads are two blocks of 4, 50 rows four of 13, 1,000 rows blocks of
  // 16 (a thread left without work at the end idles for at most one block).
  const perThread = Math.max(1, Math.ceil(n / ((helpers + 1) * WALK_BLOCK)));
  const chunk = Math.max(1, Math.ceil(n / ((helpers + 1) * perThread)));
  const next = new Int32Array(new SharedArrayBuffer(4));
  let helping: Promise<void>[] = [];
  if (workers) {
    const matrix = new SharedArrayBuffer(8 * n * X.length);
    X.forEach((col, f) => {
      new Float64Array(matrix, 8 * n * f, n).set(col);
    });
    helping = Array.from({ length: helpers }, (_, w) =>
      workers.help(w, p, { X: matrix, n, out: shared, next: next.buffer, chunk, explain: { playerOf, players } }),
    );
  }
  explainChunks(explainer, X, n, out, next, chunk);
  await Promise.all(helping);
  return out;
}

/**
 * How threads share the explanation of n rows through a forest of `nodes` nodes: by blocks of rows, or
 * — a batch of at most one block, which rows would split into smaller blocks (a block of 8 Adult rows
 * costs 11 ms a row, two blocks of 4 14 ms, a row alone 26 ms) — by tree groups, every thread walking
 * the whole block through its share of the trees; `helpers`: the workers besides the calling thread
 * (0: it is not worth a message).
 */
export function explainSharing(n: number, nodes: number, threads: number, groups: number): { by: "rows" | "tree groups"; helpers: number } {
  const walked = n * nodes;
  if (n <= WALK_BLOCK) {
    const helpers = Math.max(0, Math.min(threads - 1, groups - 1, Math.floor(walked / EXPLAIN_SPLIT_NODES)));
    if (helpers > 0) return { by: "tree groups", helpers };
  }
  // A row visits every node of every tree (tens of nanoseconds each): two rows of a large forest
  // already pay for a worker's message.
  return { by: "rows", helpers: Math.max(0, Math.min(threads - 1, n - 1, Math.floor(walked / EXPLAIN_PARALLEL_NODES))) };
}

/**
 * A batch of at most one block of rows explained by threads that share out the forest's tree groups
 * (see explainSharing); the groups' parts are added in the order one thread adds them, so the numbers
 * are those of `explainRows`.
 */
async function explainByTreeGroups(
  p: PackedForest,
  explainer: TreeExplainer,
  playerOf: Int32Array,
  X: readonly Float64Array[],
  helpers: number,
): Promise<Float64Array> {
  const n = X[0]?.length ?? 0;
  const players = explainer.players;
  const width = players + 1;
  const groups = explainer.groups;
  const parts = new SharedArrayBuffer(8 * groups * n * players);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const matrix = new SharedArrayBuffer(8 * n * X.length);
  X.forEach((col, f) => {
    new Float64Array(matrix, 8 * n * f, n).set(col);
  });
  // Without workers (no worker file found) this thread walks every group.
  const workers = poolOf(helpers);
  const helping = workers
    ? Array.from({ length: helpers }, (_, w) =>
        workers.help(w, p, { X: matrix, n, out: parts, next: next.buffer, chunk: 1, explain: { playerOf, players, byTreeGroups: true } }),
      )
    : [];
  explainTreeGroups(explainer, X, n, new Float64Array(parts), next);
  await Promise.all(helping);
  const out = new Float64Array(n * width);
  sumGroups(new Float64Array(parts), n, players, groups, p.roots.length, out, width);
  // The scores summed over the trees in order, as the forest's scorer sums them (a walk down each tree).
  const scores = new Float64Array(n);
  explainer.scoreRows(X, 0, n, scores);
  for (let i = 0; i < n; i++) out[i * width + players] = scores[i] as number;
  return out;
}

/** Takes tree groups from `next` until none is left, writing each group's part of the n rows into `parts` (group after group). */
export function explainTreeGroups(explainer: TreeExplainer, X: readonly Float64Array[], n: number, parts: Float64Array, next: Int32Array): void {
  const size = n * explainer.players;
  for (;;) {
    const group = Atomics.add(next, 0, 1);
    if (group >= explainer.groups) break;
    explainer.explainGroup(X, 0, n, group, parts.subarray(group * size, (group + 1) * size));
  }
}

/** Takes chunks of rows from `next` until none is left, writing each row's contributions and score into `out`. */
export function explainChunks(explainer: TreeExplainer, X: readonly Float64Array[], n: number, out: Float64Array, next: Int32Array, chunk: number): void {
  const width = explainer.players + 1;
  for (;;) {
    const start = Atomics.add(next, 0, chunk);
    if (start >= n) break;
    const end = Math.min(n, start + chunk);
    explainer.explainRows(X, start, end, out.subarray(start * width, end * width));
  }
}
