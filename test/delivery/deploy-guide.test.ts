import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../../test-support/index.js";
import { commitAll, copyRepository } from "./repo-copy.js";

// Every command of docs/deploy.md, in order, in a copy of the repository: the local ones for real
// (training, the Lambda bundle, curl against the service), docker/gcloud/aws/az through recording
// stand-ins that check what can be checked here (Dockerfile targets, the zip and its handler, JSON
// arguments) and run the images' commands from the repository. Then the workspace still works.
const GUIDE = readFileSync(join(ROOT, "docs/deploy.md"), "utf8");
const blocks = [...GUIDE.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const tmp = tempDir("pipe-deploy-");
const repo = join(tmp.dir, "repo");
const bin = join(tmp.dir, "bin");
const log = join(tmp.dir, "calls.jsonl");
let result: ReturnType<typeof spawnSync>;
const CLOUD_TOOLS = ["docker", "gcloud", "aws", "az"];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  copyRepository(repo, (f) => f.startsWith("data/input/") || f.startsWith("docs/"));
  commitAll(repo);
  mkdirSync(bin);
  for (const tool of CLOUD_TOOLS) symlinkSync(join(ROOT, "test/delivery/stand-ins/cloud-cli.mjs"), join(bin, tool));
  // The guide says 8080; a free port keeps the test clear of whatever else listens here.
  const port = String(await freePort());
  // Shell functions as well as PATH: a function wins over any other aws on the machine (one from pyenv was
  // found first in full-suite runs here), in pipelines too (exported).
  const standIns = CLOUD_TOOLS.map((tool) => `${tool}() { "${join(bin, tool)}" "$@"; }\nexport -f ${tool}\n`).join("");
  const script = `set -euo pipefail\n${standIns}${blocks.join("\n").replaceAll("8080:8080", `${port}:8080`).replaceAll("localhost:8080", `localhost:${port}`)}`;
  result = spawnSync("bash", ["-c", script], {
    cwd: repo,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      STAND_IN_LOG: log,
      STAND_IN_REPO: repo,
      TURBO_TELEMETRY_DISABLED: "1",
      // The copy's node_modules is this checkout's: pnpm would call it out of sync with the copy.
      pnpm_config_verify_deps_before_run: "false",
    },
    timeout: 600_000,
  });
}, 900_000);
afterAll(tmp.cleanup);

const calls = () =>
  readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { tool: string; args: string[] });

describe("docs/deploy.md, every command in order", () => {
  it("has no command that installs or removes packages in the workspace", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    expect(blocks.join("\n")).not.toMatch(/\b(pnpm|npm)\s+(deploy|install|i|add|remove|rm|prune|ci)\b/);
  });

  it("runs from the first command to the last without an error", () => {
    // pnpm echoes each script it starts ("$ node scripts/pipe.mjs …"); nothing else may be said.
    const said = String(result.stderr)
      .split("\n")
      .filter((l) => l && !l.startsWith("$ "));
    expect(said).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("serves the trained model from the container command and answers the health probe", () => {
    expect(result.stdout).toContain('{"status":"ok"}');
    const run = calls().find((c) => c.tool === "docker" && c.args[0] === "run");
    expect(run?.args).toContain("pipe-api:latest");
  });

  it("creates the Lambda function from the bundle's zip, with its handler", () => {
    const create = calls().find((c) => c.tool === "aws" && c.args[0] === "lambda" && c.args[1] === "create-function");
    expect(create?.args).toEqual(expect.arrayContaining(["--handler", "index.handler", "--zip-file", "fileb://dist/lambda/pipe-lambda.zip"]));
  });

  it("pushes and deploys on every platform it names", () => {
    const seen = new Set(calls().map((c) => `${c.tool} ${c.args[0]}`));
    for (const step of ["docker build", "docker push", "gcloud run", "aws apprunner", "aws lambda", "az webapp"]) expect(seen).toContain(step);
  });

  it("leaves the workspace intact: the pipeline and the dependencies still work afterwards", () => {
    const pipeline = execFileSync(process.execPath, [join(repo, "scripts/pipeline.mjs")], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
      timeout: 600_000,
    });
    expect(pipeline).toContain("pipeline complete");
    const modules = readFileSync(join(ROOT, "node_modules/.modules.yaml"), "utf8");
    expect(modules).toMatch(/"devDependencies": true/);
  });
});
