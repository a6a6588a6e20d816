import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ModelError } from "../errors.js";
import { type GrownTree, growTree, type TrainingData, type TreeParams } from "./tree.js";

/** One forest to grow, as a worker receives it: the binned data in shared memory and the seeds. */
export interface TreeJob {
  id: number;
  bins: SharedArrayBuffer;
  y: SharedArrayBuffer;
  edges: Float64Array[];
  n: number;
  nFeatures: number;
  classWeight: [number, number];
  params: TreeParams;
  bootstrap: boolean;
  seeds: number[];
  /** Next tree index to take, shared by all workers (work stealing keeps every core busy). */
  next: SharedArrayBuffer;
}

/** Messages from a worker: a grown tree, or "no tree of this job left for me". */
export type WorkerMessage = { kind: "tree"; job: number; index: number; tree: GrownTree } | { kind: "done"; job: number };

/** Below this many rows × trees a fit stays on the calling thread: handing it out costs more. */
const PARALLEL_WORK = 2_000_000;

export function defaultThreads(): number {
  return availableParallelism();
}

/** Whether a fit of this size would use worker threads. */
export function growsInParallel(rows: number, trees: number, threads: number): boolean {
  return threads > 1 && trees > 1 && rows * trees >= PARALLEL_WORK && workerUrl() !== undefined;
}

/** The built worker script beside this module (it grows trees or scores rows); absent when running from TypeScript sources. */
export function workerUrl(): URL | undefined {
  const url = new URL("./forest-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Worker threads kept between fits. A fresh worker runs its first trees several times slower while
 * the compiler catches up, so workers start (and warm up) as soon as a fit is announced, and stay
 * for the next fit (cross-validation folds, threshold search). Idle workers do not keep the process
 * alive.
 */
class TreePool {
  private readonly workers: Worker[] = [];
  private failure: Error | undefined;
  private current: { id: number; onMessage: (m: WorkerMessage) => void; fail: (e: Error) => void } | undefined;
  private nextJob = 1;

  constructor(
    readonly size: number,
    url: URL,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      worker.on("message", (m: WorkerMessage) => this.current?.onMessage(m));
      worker.on("error", (e) => this.fail(e));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new ModelError(`a forest worker stopped with code ${code}`));
      });
      // After the listeners: adding a "message" listener refs the worker again, and an idle worker
      // then kept the process from exiting.
      worker.unref();
      this.workers.push(worker);
    }
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.current?.fail(e);
  }

  /** Fits asked for while one runs wait their turn (the workers serve one forest at a time). */
  private queue: Promise<unknown> = Promise.resolve();

  grow(data: TrainingData, params: TreeParams, seeds: number[], bootstrap: boolean, onTree?: (built: number) => void): Promise<GrownTree[]> {
    const turn = this.queue.then(() => this.run(data, params, seeds, bootstrap, onTree));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private run(data: TrainingData, params: TreeParams, seeds: number[], bootstrap: boolean, onTree?: (built: number) => void): Promise<GrownTree[]> {
    if (this.failure) return Promise.reject(this.failure);
    const bins = new SharedArrayBuffer(data.bins.byteLength);
    new Uint8Array(bins).set(data.bins);
    const y = new SharedArrayBuffer(data.y.byteLength);
    new Uint8Array(y).set(data.y);
    const job: TreeJob = {
      id: this.nextJob++,
      bins,
      y,
      edges: data.edges.map((e) => Float64Array.from(e)),
      n: data.n,
      nFeatures: data.nFeatures,
      classWeight: [data.classWeight[0], data.classWeight[1]],
      params,
      bootstrap,
      seeds,
      next: new SharedArrayBuffer(4),
    };
    return new Promise<GrownTree[]>((resolve, reject) => {
      const results: GrownTree[] = new Array(seeds.length);
      let built = 0;
      let done = 0;
      const finish = (error?: Error) => {
        this.current = undefined;
        for (const w of this.workers) w.unref();
        if (error) reject(error);
        else resolve(results);
      };
      this.current = {
        id: job.id,
        onMessage: (m) => {
          if (m.job !== job.id) return;
          if (m.kind === "tree") {
            results[m.index] = m.tree;
            built++;
            onTree?.(built);
          } else if (++done === this.workers.length) finish();
        },
        fail: (e) => finish(e),
      };
      // Referenced while they work for us, so the process waits for the forest.
      for (const w of this.workers) {
        w.ref();
        w.postMessage(job);
      }
    });
  }

  close(): Promise<void> {
    return Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined);
  }
}

let pool: TreePool | undefined;

function poolOf(threads: number): TreePool | undefined {
  const url = workerUrl();
  if (!url) return undefined;
  if (pool && (pool.size !== threads || pool.broken)) {
    void pool.close();
    pool = undefined;
  }
  pool ??= new TreePool(threads, url);
  return pool;
}

/**
 * Starts the worker threads that a fit of `rows` training rows × `trees` trees would use, ahead of
 * it: they warm up while the caller reads and prepares the data. Starts nothing for a fit that would
 * stay on the calling thread. Returns whether workers are running.
 */
export function startTreeWorkers(plan: { rows: number; trees?: number; threads?: number }): boolean {
  const threads = plan.threads ?? defaultThreads();
  const trees = plan.trees ?? 100;
  if (!growsInParallel(plan.rows, trees, threads)) return false;
  return poolOf(Math.min(threads, trees)) !== undefined;
}

/** Stops the forest's worker threads (they are started again by the next parallel fit). */
export async function stopTreeWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}

/**
 * Grows one tree per seed, on `threads` worker threads when the fit is large enough. Tree t depends
 * only on seeds[t] and the data, so the forest is the same whatever the number of threads; results
 * come back in seed order.
 */
export async function growTreesParallel(
  data: TrainingData,
  params: TreeParams,
  seeds: number[],
  bootstrap: boolean,
  threads: number,
  onTree?: (built: number) => void,
): Promise<GrownTree[]> {
  const workers = growsInParallel(data.n, seeds.length, threads) ? poolOf(Math.min(threads, seeds.length)) : undefined;
  if (workers) return workers.grow(data, params, seeds, bootstrap, onTree);
  const out: GrownTree[] = [];
  for (const seed of seeds) {
    out.push(growTree(data, params, seed, bootstrap));
    onTree?.(out.length);
  }
  return out;
}
