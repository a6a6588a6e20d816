import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../../../test-support/index.js";
import { openClickHouse } from "./clickhouse.js";
import { openDuckDb } from "./duckdb.js";
import type { Engine } from "./engine.js";

/**
 * The URL of the ClickHouse the tests use: PIPE_CLICKHOUSE_URL, or the first node of the local
 * cluster the global setup started. No cluster is an error that says why — never a skip.
 */
export function clickhouseUrl(): string {
  if (process.env.PIPE_CLICKHOUSE_URL) return process.env.PIPE_CLICKHOUSE_URL;
  const dir = join(ROOT, ".clickhouse");
  const failure = join(dir, "start-error.txt");
  if (existsSync(failure)) throw new Error(`the local ClickHouse cluster did not start: ${readFileSync(failure, "utf8")}`);
  const file = join(dir, "cluster.json");
  if (!existsSync(file)) throw new Error("no ClickHouse cluster: run `node scripts/clickhouse/cluster.mjs start`, or set PIPE_CLICKHOUSE_URL");
  const { nodes } = JSON.parse(readFileSync(file, "utf8")) as { nodes: { http: number }[] };
  return `clickhouse://default@127.0.0.1:${nodes[0]?.http}/default`;
}

/** Every back end the engine contract holds for: DuckDB embedded, ClickHouse over HTTP. */
export const ENGINES: { name: string; open: () => Promise<Engine> }[] = [
  { name: "duckdb", open: () => openDuckDb() },
  { name: "clickhouse", open: () => openClickHouse({ url: clickhouseUrl() }) },
];
