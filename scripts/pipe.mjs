#!/usr/bin/env node
// `pnpm pipe <command>`: builds what the CLI needs (turbo caches it, so this is quick after the first
// time), keeps turbo's chatter out of the way unless the build fails, then runs the CLI.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" };
const build = spawnSync(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--filter=@pipe/cli...", "--output-logs=errors-only"], {
  cwd: root,
  env,
  encoding: "utf8",
});
if (build.status !== 0) {
  process.stderr.write(build.stdout ?? "");
  process.stderr.write(build.stderr ?? "");
  process.stderr.write("pipe: the build failed (see above)\n");
  process.exit(1);
}
const run = spawnSync(process.execPath, [join(root, "apps/cli/dist/pipe.js"), ...process.argv.slice(2)], { stdio: "inherit", env: process.env });
process.exit(run.status ?? 1);
