#!/usr/bin/env node
// `pnpm pipe <command>`: builds what the CLI needs (turbo caches it, so this costs about a second
// after the first time), says which packages it is building when it has to, then runs the CLI.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quiet = args.includes("--quiet") || args.includes("--help");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" };

const t0 = performance.now();
const turbo = spawn(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--filter=@pipe/cli...", "--output-logs=hash-only"], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
let stderr = "";
turbo.stderr.on("data", (d) => {
  stderr += d;
});
const closed = new Promise((resolve) => turbo.once("close", resolve));
const transcript = [];
let built = 0;
for await (const line of createInterface({ input: turbo.stdout })) {
  transcript.push(line);
  // "@pipe/etl:build: cache miss, executing <hash>": a package that has to be built now.
  const miss = /^(@pipe\/[\w-]+):build: cache miss/.exec(line);
  if (miss && !quiet) {
    if (built === 0) process.stderr.write("pipe: building the packages first (about a minute the first time, then cached)\n");
    process.stderr.write(`pipe: building ${miss[1]}…\n`);
  }
  if (miss) built++;
}
const code = await closed;
if (code !== 0) {
  process.stderr.write(`${transcript.join("\n")}\n${stderr}`);
  process.stderr.write("pipe: the build failed (see above)\n");
  process.exit(1);
}
if (built > 0 && !quiet) process.stderr.write(`pipe: built ${built} package(s) in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
const run = spawnSync(process.execPath, [join(root, "apps/cli/dist/pipe.js"), ...args], { stdio: "inherit", env: process.env });
process.exit(run.status ?? 1);
