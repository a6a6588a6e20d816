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
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const res = await fetch(`${url}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ age: 60, sex: 1, cp: 0 }),
    });
    expect(res.status).toBe(200);
    expect(await stop()).toBe(0);
  }, 60_000);

  it("refuses a missing model with one line and exit code 3 (a missing earlier output)", () => {
    const r = pipe(["serve", "--model", join(tmp.dir, "none.json"), "--port", "0"], tmp.dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^pipe: \S+none\.json not found; run `pipe train` first \(or `pipe run`\), or pass --model PATH\n$/);
  });
});
