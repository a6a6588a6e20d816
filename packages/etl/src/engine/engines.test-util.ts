import { clickhouseUrl } from "../../../../test-support/index.js";
import { openClickHouse } from "./clickhouse.js";
import { openDuckDb } from "./duckdb.js";
import type { Engine } from "./engine.js";

export { clickhouseUrl };

/** Every back end the engine contract holds for: DuckDB embedded, ClickHouse over HTTP. */
export const ENGINES: { name: string; open: () => Promise<Engine> }[] = [
  { name: "duckdb", open: () => openDuckDb() },
  { name: "clickhouse", open: () => openClickHouse({ url: clickhouseUrl() }) },
];
