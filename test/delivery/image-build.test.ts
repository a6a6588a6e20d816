import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, ROOT, tempDir } from "../../test-support/index.js";
import { directorySize } from "./size.js";

// No Docker engine runs here: this performs the image's build steps in a clean folder instead —
// copy what the Dockerfile copies, install with the pinned pnpm, build, keep production
// dependencies only (pnpm deploy), start the API from the result and call /health and /predict.
const tmp = tempDir("pipe-image-");
const src = join(tmp.dir, "src");
const out = join(tmp.dir, "out", "api");
const sh = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, TURBO_TELEMETRY_DISABLED: "1" },
    timeout: 600_000,
  });

beforeAll(() => {
  // The Dockerfile's COPY lines, from the files git tracks or would (no node_modules, no dist).
  const tracked = sh("git", ["ls-files", "--cached", "--others", "--exclude-standard"], ROOT).split("\n").filter(Boolean);
  const copied = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "turbo.json", "tsconfig.base.json"];
  for (const f of tracked.filter((f) => (copied.includes(f) || /^(packages|apps|scripts)\//.test(f)) && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(src, f)), { recursive: true });
    cpSync(join(ROOT, f), join(src, f));
  }
  const pnpm = ["-y", "pnpm@12.4.2"];
  sh("npx", [...pnpm, "install", "--frozen-lockfile"], src);
  sh("npx", [...pnpm, "run", "build"], src);
  sh("npx", [...pnpm, "deploy", "--filter=@pipe/api", "--prod", "--legacy", out], src);
  // A model to serve, made by the built CLI.
  sh(
    process.execPath,
    [join(src, "apps/cli/dist/pipe.js"), "run", "--input", DATASETS.heart, "--target", "target", "--out", join(tmp.dir, "model"), "--quiet", "--no-png"],
    tmp.dir,
  );
}, 900_000);
afterAll(tmp.cleanup);

describe("the API image's build steps, without Docker", () => {
  it("keeps production dependencies only", () => {
    expect(existsSync(join(out, "dist/server.js"))).toBe(true);
    const modules = readdirSync(join(out, "node_modules"));
    expect(modules).toEqual(expect.arrayContaining(["hono", "@hono", "@pipe", "pino"]));
    for (const dev of ["vitest", "typescript", "tsup", "turbo", "@biomejs"]) expect(modules).not.toContain(dev);
    // pnpm deploy's node_modules holds real copies (no links to a store): its size is the image's.
    const bytes = directorySize(join(out, "node_modules"));
    console.log(`compass: API image node_modules ${(bytes / 1e6).toFixed(1)} MB`);
    expect(bytes).toBeLessThanOrEqual(60e6);
  });

  it("starts the API from the deployed folder and answers /health and /predict", async () => {
    const child = spawn(process.execPath, ["dist/server.js"], {
      cwd: out,
      env: { ...process.env, NODE_ENV: "production", MODEL_PATH: join(tmp.dir, "model/model.json"), PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let text = "";
        child.stdout.on("data", (d) => {
          text += d;
          const m = /"port":(\d+)/.exec(text);
          if (m) resolve(Number(m[1]));
        });
        child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
      });
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${port}/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ age: 54, sex: 1, cp: 0, thalach: 150 }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { probability: number }).probability).toBeGreaterThanOrEqual(0);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
