// Entry point of a forest worker thread: takes tree indices from the shared counter until none are
// left, grows each tree on the shared binned data, and posts it back (typed arrays transferred).
import { parentPort, workerData } from "node:worker_threads";
import type { WorkerInput } from "./parallel.js";
import { growTree, type TrainingData } from "./tree.js";

const input = workerData as WorkerInput;
// Private copies: V8 optimises loads from non-shared typed arrays better (measured: ~1.4× faster trees).
const data: TrainingData = {
  bins: new Uint8Array(input.bins).slice(),
  edges: input.edges,
  n: input.n,
  nFeatures: input.nFeatures,
  y: new Uint8Array(input.y).slice(),
  classWeight: input.classWeight,
};
const next = new Int32Array(input.next);
for (;;) {
  const index = Atomics.add(next, 0, 1);
  if (index >= input.seeds.length) break;
  const grown = growTree(data, input.params, input.seeds[index] as number, input.bootstrap);
  const t = grown.tree;
  parentPort?.postMessage({ index, tree: grown }, [
    t.feature.buffer,
    t.threshold.buffer,
    t.left.buffer,
    t.right.buffer,
    t.value.buffer,
    grown.importance.buffer,
    grown.inBag.buffer,
  ] as ArrayBuffer[]);
}
