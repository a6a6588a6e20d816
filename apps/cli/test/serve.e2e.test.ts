import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe, serve } from "./cli.js";

const tmp = tempDir("pipe-serve-");
const out = join(tmp.dir, "out");
beforeAll(() => {
  expect(pipe(["run", "--input", DATASETS.heart, "--target", "target", "--out", out, "--quiet", "--no-png", "--trees", "20"], tmp.dir).code).toBe(0);
});
afterAll(tmp.cleanup);

describe("pipe serve", () => {
  it("serves the model on a real socket and stops cleanly on SIGTERM", async () => {
    const { url, stop } = await serve(join(out, "model.json"), tmp.dir);
    try {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const res = await fetch(`${url}/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ age: 60, sex: 1, cp: 0 }),
      });
      expect(res.status).toBe(200);
      expect(await stop()).toBe(0);
    } finally {
      // A failed expectation must not leave the service running (stopping twice is harmless).
      await stop();
    }
  }, 60_000);

  it("logs one JSON line per request on stdout, within a second, and every line by the time it stops", async () => {
    const { url, stop, stdout } = await serve(join(out, "model.json"), tmp.dir, { logLevel: "info" });
    try {
      const ids = ["first-request", "second-request", "third-request"];
      for (const id of ids) {
        const res = await fetch(`${url}/predict`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": id },
          body: JSON.stringify({ age: 60, sex: 1, cp: 0 }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get("x-request-id")).toBe(id);
      }
      const requestLines = () =>
        stdout()
          .split("\n")
          .filter((l) => l.includes('"msg":"request"'))
          .map((l) => JSON.parse(l) as { request_id: string; method: string; path: string; status: number; ms: number; service: string });
      // The lines are written in blocks, or after a quarter of a second: they must not wait for more traffic.
      const until = Date.now() + 5000;
      while (requestLines().length < ids.length && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(requestLines().map((l) => [l.request_id, l.method, l.path, l.status, l.service])).toEqual(
        ids.map((id) => [id, "POST", "/predict", 200, "pipe-api"]),
      );
      // Lines still buffered when the service stops are written before it exits.
      for (let i = 0; i < 5; i++)
        await fetch(`${url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ age: 50 + i }) });
      expect(await stop()).toBe(0);
      expect(requestLines()).toHaveLength(ids.length + 5);
    } finally {
      await stop();
    }
  }, 60_000);

  it("refuses a missing model with one line and exit code 3 (a missing earlier output)", () => {
    const r = pipe(["serve", "--model", join(tmp.dir, "none.json"), "--port", "0"], tmp.dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^pipe: \S+none\.json not found; run `pipe train` first \(or `pipe run`\), or pass --model PATH\n$/);
  });
});
