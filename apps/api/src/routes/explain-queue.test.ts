import type { ExplainedPrediction, PipeModel, RawRecord } from "@pipe/model";
import { describe, expect, it } from "vitest";
import { ExplainQueue } from "./explain-queue.js";

/** A model that records each batch it is asked to explain and answers after `ms` milliseconds. */
function recordingModel(ms: number) {
  const batches: number[][] = [];
  const model = {
    explainEachAsync: async (records: readonly RawRecord[]) => {
      batches.push(records.map((r) => r.id as number));
      await new Promise((resolve) => setTimeout(resolve, ms));
      return records.map((r) => ({ prediction: 1, label: "yes", probability: 0.9, warnings: [], explanation: { id: r.id } }) as unknown as ExplainedPrediction);
    },
  };
  return { model: model as unknown as PipeModel, batches };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("ExplainQueue", () => {
  it("explains a request to an idle service at once, on its own", async () => {
    const { model, batches } = recordingModel(1);
    const queue = new ExplainQueue(model, 2);
    const answer = await queue.explain({ id: 1 }, {});
    expect(answer.explanation).toEqual({ id: 1 });
    expect(batches).toEqual([[1]]);
  });

  it("under load, gathers the requests that arrive while it explains and just after into one batch", async () => {
    const { model, batches } = recordingModel(20);
    const queue = new ExplainQueue(model, 2);
    const first = queue.explain({ id: 1 }, {});
    await sleep(5);
    // Two arrive while the first batch runs; two more once the event loop has turned after the answer (as
    // clients just answered ask again): without the wait, the batch of 2 and 3 would have started then.
    const during = [queue.explain({ id: 2 }, {}), queue.explain({ id: 3 }, {})];
    await first;
    await nextTurn();
    const after = [queue.explain({ id: 4 }, {}), queue.explain({ id: 5 }, {})];
    const answers = await Promise.all([...during, ...after]);
    expect(answers.map((a) => (a.explanation as unknown as { id: number }).id)).toEqual([2, 3, 4, 5]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it("does not wait for more when a full block already waits", async () => {
    const { model, batches } = recordingModel(10);
    const queue = new ExplainQueue(model, 2);
    const first = queue.explain({ id: 0 }, {});
    await sleep(2);
    const waiting = Array.from({ length: 16 }, (_, i) => queue.explain({ id: i + 1 }, {}));
    await first;
    await nextTurn();
    // Asked once the event loop has turned: the batch of 16 had started, so this one goes in the next.
    const late = queue.explain({ id: 99 }, {});
    await Promise.all([...waiting, late]);
    expect(batches.map((b) => b.length)).toEqual([1, 16, 1]);
  });
});
