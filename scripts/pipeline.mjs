#!/usr/bin/env node
// `pnpm run pipeline`: the five stages through turbo, each cached on exactly what it depends on.
// turbo hashes every task's inputs before it runs any, so a stage's inputs cannot be files an earlier
// stage writes in the same run: instead the CLI writes what each stage reads of the configuration
// (and the input file's fingerprint) to .pipe/stage-inputs/<stage>.json first, and turbo chains the
// stages' hashes through dependsOn. A second run after a complete one is fully cached.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" };
const step = (command, args, options = {}) => {
  const r = spawnSync(command, args, { cwd: root, env, stdio: "inherit", ...options });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const turbo = join(root, "node_modules", ".bin", "turbo");
step(process.execPath, [join(root, "scripts/pipe.mjs"), "stage-inputs", "--config", "pipe.config.json", "--dir", ".pipe/stage-inputs", "--quiet"]);
step(turbo, ["run", "pipeline", "--filter=@pipe/cli", ...process.argv.slice(2)]);
