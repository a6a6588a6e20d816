#!/usr/bin/env node
// `pnpm test [filters…]`: builds every package (the CLI and API tests run the built programs), runs
// the suite once with vitest — quietly, a dot per test and the failures in full — and ends with a
// plain "N passed, N failed" line. Filters narrow it: `pnpm test packages/etl`, `pnpm test deploy-guide`.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" };
const filters = process.argv.slice(2);
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 60000).toFixed(1)} min`;

process.stdout.write("pipe tests: building the packages (about a minute the first time, seconds when cached)\n");
const build = spawnSync(bin("turbo"), ["run", "build", "--output-logs=errors-only"], { cwd: root, env, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

process.stdout.write(
  filters.length
    ? `pipe tests: running the tests matching ${filters.join(" ")}\n`
    : "pipe tests: running the whole suite: about 6 minutes on 2 quiet cores (longer on a busy machine); one part: `npx pnpm test packages/etl`\n",
);
mkdirSync(join(root, ".tmp"), { recursive: true });
const report = join(root, ".tmp", "vitest.json");
const reporters = process.env.VITEST_REPORTER ? [`--reporter=${process.env.VITEST_REPORTER}`] : ["--reporter=dot"];
const run = spawnSync(bin("vitest"), ["run", ...reporters, "--reporter=json", `--outputFile.json=${report}`, ...filters], {
  cwd: root,
  env,
  stdio: "inherit",
});
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  process.stdout.write(
    `\npipe tests: finished in ${elapsed()}\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}\n`,
  );
} catch {
  // No report: vitest failed before running; its own output says why.
}
process.exit(run.status ?? 1);
