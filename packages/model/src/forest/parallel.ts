import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type GrownTree, growTree, type TrainingData, type TreeParams } from "./tree.js";

/** What a worker needs to grow trees: the shared binned data and the tree parameters. */
export interface WorkerInput {
  bins: SharedArrayBuffer;
  y: SharedArrayBuffer;
  edges: Float64Array[];
  n: number;
  nFeatures: number;
  classWeight: [number, number];
  params: TreeParams;
  bootstrap: boolean;
  seeds: number[];
  /** Next tree index to take, shared by all workers (work stealing keeps both cores busy). */
  next: SharedArrayBuffer;
}

/** The built worker script beside this module; absent when running from TypeScript sources. */
function workerUrl(): URL | undefined {
  const url = new URL("./forest-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Grows one tree per seed on `threads` worker threads. Tree t depends only on seeds[t] and the data,
 * so the forest is the same whatever the number of threads; results come back in seed order.
 */
export async function growTreesParallel(
  data: TrainingData,
  params: TreeParams,
  seeds: number[],
  bootstrap: boolean,
  threads: number,
  onTree?: (built: number) => void,
): Promise<GrownTree[]> {
  const url = workerUrl();
  // Starting workers costs tens of milliseconds: small fits stay on this thread.
  const small = data.n * seeds.length < 2_000_000;
  const count = small ? 1 : Math.min(threads, seeds.length);
  if (count <= 1 || !url) {
    const out: GrownTree[] = [];
    for (const seed of seeds) {
      out.push(growTree(data, params, seed, bootstrap));
      onTree?.(out.length);
    }
    return out;
  }
  const bins = new SharedArrayBuffer(data.bins.byteLength);
  new Uint8Array(bins).set(data.bins);
  const y = new SharedArrayBuffer(data.y.byteLength);
  new Uint8Array(y).set(data.y);
  const next = new SharedArrayBuffer(4);
  const input: WorkerInput = {
    bins,
    y,
    edges: data.edges.map((e) => Float64Array.from(e)),
    n: data.n,
    nFeatures: data.nFeatures,
    classWeight: [data.classWeight[0], data.classWeight[1]],
    params,
    bootstrap,
    seeds,
    next,
  };
  const results: GrownTree[] = new Array(seeds.length);
  let built = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(url, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
          worker.on("message", (msg: { index: number; tree: GrownTree }) => {
            results[msg.index] = msg.tree;
            built++;
            onTree?.(built);
          });
          worker.once("error", reject);
          worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a forest worker stopped with code ${code}`))));
        }),
    ),
  );
  return results;
}
