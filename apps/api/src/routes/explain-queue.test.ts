import type { ExplainedPrediction, PipeModel, RawRecord } from "@pipe/model";
import { describe, expect, it } from "vitest";
import { ExplainQueue } from "./explain-queue.js";

/** A model that records each batch it is asked to explain and answers after `ms` milliseconds. */
function recordingModel(ms: number) {
  const batches: number[][] = [];
  const options: unknown[] = [];
  const model = {
    explainEachAsync: async (records: readonly RawRecord[], given: unknown) => {
      batches.push(records.map((r) => r.id as number));
      options.push(given);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return records.map((r) => ({ prediction: 1, label: "yes", probability: 0.9, warnings: [], explanation: { id: r.id } }) as unknown as ExplainedPrediction);
    },
  };
  return { model: model as unknown as PipeModel, batches, options };
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

  it("under load, waits for as many requests as the last batch answered, arriving one turn of the event loop after another", async () => {
    const { model, batches } = recordingModel(10);
    const queue = new ExplainQueue(model, 2);
    const first = [1, 2, 3].map((id) => queue.explain({ id }, {}));
    await Promise.all(first);
    // The three clients just answered ask again, each a turn of the event loop after the other.
    const again: Promise<unknown>[] = [];
    for (const id of [4, 5, 6]) {
      await nextTurn();
      again.push(queue.explain({ id }, {}));
    }
    await Promise.all(again);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("starts the next batch after a moment when fewer arrive, and is idle again once none do", async () => {
    const { model, batches } = recordingModel(5);
    const queue = new ExplainQueue(model, 2);
    await Promise.all([1, 2, 3].map((id) => queue.explain({ id }, {})));
    await nextTurn();
    // One client of three asks again: answered all the same, in a few milliseconds.
    const t0 = performance.now();
    expect((await queue.explain({ id: 4 }, {})).explanation).toEqual({ id: 4 });
    expect(performance.now() - t0).toBeLessThan(1000);
    await sleep(20);
    // Nobody asked for a while: a request is explained at once again, on its own.
    expect((await queue.explain({ id: 5 }, {})).explanation).toEqual({ id: 5 });
    expect(batches).toEqual([[1, 2, 3], [4], [5]]);
  });

  it("does not wait for more when a full block already waits, whatever the last batch's size", async () => {
    const { model, batches } = recordingModel(10);
    const queue = new ExplainQueue(model, 2);
    const first = Array.from({ length: 20 }, (_, i) => queue.explain({ id: i }, {}));
    await sleep(2);
    const waiting = Array.from({ length: 16 }, (_, i) => queue.explain({ id: 100 + i }, {}));
    await Promise.all(first);
    await nextTurn();
    // Asked once the event loop has turned: the batch of 16 had started, so this one goes in the next.
    const late = queue.explain({ id: 999 }, {});
    await Promise.all([...waiting, late]);
    expect(batches.map((b) => b.length)).toEqual([20, 16, 1]);
  });

  it("walks requests asking for different top k in one batch, each with its own options", async () => {
    const { model, batches, options } = recordingModel(10);
    const queue = new ExplainQueue(model, 2);
    await queue.explain({ id: 0 }, {});
    await Promise.all([queue.explain({ id: 1 }, { top: 3 }), queue.explain({ id: 2 }, {}), queue.explain({ id: 3 }, { top: 1 })]);
    expect(batches).toEqual([[0], [1, 2, 3]]);
    expect(options[1]).toEqual([{ top: 3 }, {}, { top: 1 }]);
  });
});
