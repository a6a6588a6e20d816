#!/usr/bin/env node
// `pnpm test`: builds every package (the CLI and API tests run the built programs), runs the whole
// suite once with vitest, and ends with a plain "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" };

const build = spawnSync(bin("turbo"), ["run", "build", "--output-logs=errors-only"], { cwd: root, env, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

mkdirSync(join(root, ".tmp"), { recursive: true });
const report = join(root, ".tmp", "vitest.json");
const run = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: "inherit",
});
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  process.stdout.write(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
} catch {
  // No report: vitest failed before running; its own output says why.
}
process.exit(run.status ?? 1);
