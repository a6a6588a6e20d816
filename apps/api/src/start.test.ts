import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { PipeModel } from "@pipe/model";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { scoringHelpers } from "../../../packages/model/src/forest/score-pool.js";
import { memoryLogger } from "../test/memory-logger.js";
import { titanicModel } from "../test/model-fixture.js";
import { startServer } from "./start.js";

let fixture: Awaited<ReturnType<typeof titanicModel>>;
beforeAll(async () => {
  fixture = await titanicModel();
});
afterAll(() => fixture.cleanup());

describe("startServer over a real socket", () => {
  it("serves predictions on loopback and closes cleanly", async () => {
    const server = await startServer({ modelPath: fixture.modelPath, port: 0, host: "127.0.0.1" });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const res = await fetch(`${base}/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ Sex: "female", Pclass: 1 }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { label: string };
      expect(["0", "1"]).toContain(body.label);
      const bad = await fetch(`${base}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
      expect(bad.status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it("caps a body sent without a length (chunked) while it streams in, on /predict and /predict/batch alike", async () => {
    const server = await startServer({ modelPath: fixture.modelPath, port: 0, host: "127.0.0.1", bodyLimit: 2000, logLevel: "silent" });
    /** POSTs `body` in chunks of 100 bytes, with no content-length: the status answered. */
    const chunked = (path: string, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port: server.port, path, method: "POST", headers: { "content-type": "application/json" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        for (let i = 0; i < body.length; i += 100) req.write(body.slice(i, i + 100));
        req.end();
      });
    /** Streams a never-ending body; the status and how many bytes were sent when the answer came. */
    const endless = (path: string) =>
      new Promise<{ status: number; sent: number }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = request({ host: "127.0.0.1", port: server.port, path, method: "POST", headers: { "content-type": "application/json" } }, (res) => {
          answered = true;
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent });
          req.destroy();
        });
        req.on("error", (e) => (answered ? undefined : reject(e)));
        const more = () => {
          // Bounded: a server that read on without answering fails the test rather than hanging it.
          if (answered || sent >= 1_000_000) return req.end();
          sent += 1000;
          req.write(`${"x".repeat(999)} `, () => setImmediate(more));
        };
        req.write('{"Name":"');
        more();
      });
    try {
      // Answered 413 as soon as the limit is passed, not after the client has sent everything.
      for (const path of ["/predict", "/predict/batch"]) {
        const { status, sent } = await endless(path);
        expect(status).toBe(413);
        expect(sent).toBeLessThan(100_000);
      }
      const record = { Sex: "female", Pclass: 1 };
      expect(await chunked("/predict", JSON.stringify(record))).toBe(200);
      expect(await chunked("/predict", JSON.stringify({ ...record, Name: "x".repeat(3000) }))).toBe(413);
      expect(await chunked("/predict/batch", JSON.stringify({ records: [record] }))).toBe(200);
      expect(await chunked("/predict/batch", JSON.stringify({ records: Array(100).fill(record) }))).toBe(413);
    } finally {
      await server.close();
    }
  });

  it("scores a large batch on worker threads as on its own thread, and stops them on close", async () => {
    const records = Array.from({ length: 8000 }, (_, i) => ({ Sex: i % 3 ? "male" : "female", Pclass: 1 + (i % 3), Age: i % 80, Fare: (i * 7) % 300 }));
    // A batch this size is worth a worker (see scoringHelpers): the second server shares it.
    expect(scoringHelpers(fixture.model.state.forest.packedTrees(), records.length, 2)).toBe(1);
    const answers: unknown[] = [];
    for (const scoreThreads of [1, 2]) {
      const server = await startServer({ modelPath: fixture.modelPath, port: 0, host: "127.0.0.1", maxBatch: 10_000, logLevel: "silent", scoreThreads });
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/predict/batch`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ records }),
        });
        expect(res.status).toBe(200);
        expect(server.scoreThreads).toBe(scoreThreads);
        answers.push(((await res.json()) as { predictions: { probability: number }[] }).predictions.map((p) => p.probability));
      } finally {
        await server.close();
      }
    }
    expect(answers[1]).toEqual(answers[0]);
  });

  it("refuses to start on a missing, damaged or foreign model file", async () => {
    await expect(startServer({ modelPath: join(fixture.dir, "none.json"), port: 0 })).rejects.toThrow(/not found/);
    const damaged = join(fixture.dir, "damaged.json");
    writeFileSync(damaged, '{"format":"pipe-model"');
    await expect(startServer({ modelPath: damaged, port: 0 })).rejects.toThrow(/not valid JSON/);
    const text = readFileSync(fixture.modelPath, "utf8");
    const edited = join(fixture.dir, "edited.json");
    writeFileSync(edited, text.replace('"threshold":0.5', '"threshold":0.01'));
    await expect(startServer({ modelPath: edited, port: 0 })).rejects.toThrow(/fails its checksum/);
    const other = join(fixture.dir, "other-version.json");
    writeFileSync(other, text.replace('"format_version":2', '"format_version":3'));
    await expect(startServer({ modelPath: other, port: 0 })).rejects.toThrow(/format version 3, this pipe reads versions 1 and 2/);
  });
});

describe("explanations readied at start", () => {
  const explain = async (port: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/predict?explain=true`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ Sex: "female", Pclass: 1, Age: 29 }),
    });
    return { status: res.status, body: (await res.json()) as { explanation?: { contributions: { column: string; contribution: number }[] }; detail?: string } };
  };

  it("builds the explainer on every scoring thread before listening, unless told not to; the explanations are the same either way", async () => {
    const warm = vi.spyOn(PipeModel.prototype, "warmUpExplanations");
    try {
      const warmed = await startServer({ modelPath: fixture.modelPath, port: 0, host: "127.0.0.1", logLevel: "silent", scoreThreads: 2 });
      expect(warm).toHaveBeenCalledTimes(1);
      expect(warm).toHaveBeenCalledWith(2);
      const first = await explain(warmed.port).finally(() => warmed.close());
      const cold = await startServer({ modelPath: fixture.modelPath, port: 0, host: "127.0.0.1", logLevel: "silent", warmExplanations: false });
      expect(warm).toHaveBeenCalledTimes(1);
      const asked = await explain(cold.port).finally(() => cold.close());
      expect(first.status).toBe(200);
      expect(first.body.explanation?.contributions.length).toBeGreaterThan(0);
      expect(first.body).toEqual(asked.body);
    } finally {
      warm.mockRestore();
    }
  });

  it("starts when the warm-up fails otherwise, saying so in the log: explanations are then built when first asked for", async () => {
    const warm = vi.spyOn(PipeModel.prototype, "warmUpExplanations").mockRejectedValueOnce(new Error("a worker stopped"));
    const { logger, lines } = memoryLogger();
    try {
      const server = await startServer({ modelPath: fixture.modelPath, port: 0, host: "127.0.0.1", logger });
      const answer = await explain(server.port).finally(() => server.close());
      expect(answer.status).toBe(200);
      const warned = lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } }).filter((l) => l.level === 40);
      expect(warned).toHaveLength(1);
      expect(warned[0]?.msg).toMatch(/explanations not readied at start/);
      expect(warned[0]?.err?.message).toBe("a worker stopped");
    } finally {
      warm.mockRestore();
    }
  });

  it("starts with a model file that cannot be explained (no node covers): predictions served, an explanation refused with the reason", async () => {
    // A file as versions before the covers wrote it: their streams left out, the checksum over the content as written.
    const file = JSON.parse(readFileSync(fixture.modelPath, "utf8")) as {
      format: string;
      format_version: number;
      content: { forest: { packed: Record<string, unknown> } };
    };
    delete file.content.forest.packed.root_covers;
    delete file.content.forest.packed.left_covers;
    const body = JSON.stringify(file.content);
    const checksum = createHash("sha256").update(body).digest("hex");
    const path = join(fixture.dir, "model-without-covers.json");
    writeFileSync(path, `{"format":"${file.format}","format_version":${file.format_version},"checksum":"${checksum}","content":${body}}\n`);
    const server = await startServer({ modelPath: path, port: 0, host: "127.0.0.1", logLevel: "silent" });
    try {
      const predicted = await fetch(`http://127.0.0.1:${server.port}/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ Sex: "female", Pclass: 1 }),
      });
      expect(predicted.status).toBe(200);
      const refused = await explain(server.port);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.body.detail).toMatch(/cannot explain predictions: .*train it again/);
    } finally {
      await server.close();
    }
  });
});
