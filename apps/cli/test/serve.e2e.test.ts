import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { PIPE, pipe } from "./cli.js";

const tmp = tempDir("pipe-serve-");
const out = join(tmp.dir, "out");
beforeAll(() => {
  expect(pipe(["run", "--input", DATASETS.heart, "--target", "target", "--out", out, "--quiet", "--no-png", "--trees", "20"], tmp.dir).code).toBe(0);
});
afterAll(tmp.cleanup);

describe("pipe serve", () => {
  it("serves the model on a real socket and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [PIPE, "serve", "--model", join(out, "model.json"), "--port", "0"], {
      cwd: tmp.dir,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LOG_LEVEL: "silent" },
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stderr.on("data", (d) => {
        text += d;
        const m = /on (http:\/\/\S+:\d+)/.exec(text);
        if (m) resolve((m[1] as string).replace("localhost", "127.0.0.1"));
      });
      setTimeout(() => reject(new Error(`no address in: ${text}`)), 20_000);
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const res = await fetch(`${url}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ age: 60, sex: 1, cp: 0 }),
    });
    expect(res.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);

  it("refuses a missing model with one line and exit code 3 (a missing earlier output)", () => {
    const r = pipe(["serve", "--model", join(tmp.dir, "none.json"), "--port", "0"], tmp.dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^pipe: \S+none\.json not found; run `pipe train` first \(or `pipe run`\), or pass --model PATH\n$/);
  });
});
