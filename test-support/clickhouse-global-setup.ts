import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./index.js";

// vitest's global setup: the local two-shard ClickHouse cluster for the engine tests, started by the
// project's own script (which installs Debian's clickhouse-server when missing) and stopped by PID
// when the run ends. A cluster that cannot start is written down for those tests to fail with —
// never a silent skip — while the rest of the suite runs. PIPE_CLICKHOUSE_URL names a server instead.
export const CLICKHOUSE_DIR = join(ROOT, ".clickhouse");
const script = join(ROOT, "scripts", "clickhouse", "cluster.mjs");

export default function setup(): (() => void) | undefined {
  if (process.env.PIPE_CLICKHOUSE_URL) return undefined;
  mkdirSync(CLICKHOUSE_DIR, { recursive: true });
  const failure = join(CLICKHOUSE_DIR, "start-error.txt");
  rmSync(failure, { force: true });
  const r = spawnSync(process.execPath, [script, "start", CLICKHOUSE_DIR], { encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) {
    writeFileSync(failure, `${r.stderr || r.stdout || r.error?.message || "no output"}`.trim());
    return undefined;
  }
  return () => {
    spawnSync(process.execPath, [script, "stop", CLICKHOUSE_DIR], { encoding: "utf8", timeout: 60_000 });
  };
}
