import { EngineError } from "../errors.js";
import { duckdbDialect } from "./dialect.js";
import type { Engine, SqlValue, TableAppender } from "./engine.js";
import { isOutOfMemory, ThreadFallback } from "./thread-fallback.js";

// @duckdb/node-api is an optional peer dependency: loaded on first use, so @pipe/etl installs and
// runs without it (its native binary is 70 MB) and says how to add it when a run asks for DuckDB.
type DuckDb = typeof import("@duckdb/node-api");

async function loadDuckDb(): Promise<DuckDb> {
  try {
    return await import("@duckdb/node-api");
  } catch (error) {
    throw new EngineError(
      `DuckDB is not installed (${(error as Error).message.split("\n")[0]}): add it with \`npm install @duckdb/node-api@1.5.6-r.1\` (or pnpm add), then run again`,
    );
  }
}

/** Options of an embedded DuckDB. */
export interface DuckDbOptions {
  /** A database file, or ":memory:" (default). */
  path?: string;
  /** Memory DuckDB may use before spilling to disk, e.g. "1GB" (its default: 80% of RAM). */
  memoryLimit?: string;
  /**
   * Worker threads (its default: every core). Unless named here, a statement that runs out of memory on
   * several threads runs again on one (see ThreadFallback).
   */
  threads?: number;
}

/**
 * Opens DuckDB in this process (an optional dependency, loaded now). Dates are computed from their
 * parts (no time-zone extension needed); a value is never turned into an error by a cast (TRY_CAST).
 *
 * @example
 * const engine = await openDuckDb({ path: "warehouse.duckdb", memoryLimit: "1GB" });
 * const input = { relation: engine.dialect.ident("customers"), name: "warehouse.duckdb?table=customers", line: "rowid + 1" };
 * const { report } = await runEtlInEngine(engine, input, { target: "churned" }, { processed: "out/processed.csv", rejected: "out/rejected.csv" });
 * await engine.close();
 */
export async function openDuckDb(options: DuckDbOptions = {}): Promise<Engine> {
  const duck = await loadDuckDb();
  const path = options.path ?? ":memory:";
  // Every output pipe reads is ordered by its line: the engine need not keep rows in insertion order,
  // which lets it spill large tables to disk within `memoryLimit`.
  // DuckDB allocates through the C library here (no jemalloc in the Node bindings), which keeps what a query
  // freed. Handing freed memory back after large frees: sorts and distinct counts of 7 M values under a
  // 128MB limit peaked at 338 instead of 466 MB, in no more time (a query's own peak is unchanged).
  const config: Record<string, string> = {
    preserve_insertion_order: "false",
    allocator_flush_threshold: "8MB",
    allocator_bulk_deallocation_flush_threshold: "8MB",
  };
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.threads) config.threads = String(options.threads);
  let instance: InstanceType<DuckDb["DuckDBInstance"]>;
  try {
    instance = await duck.DuckDBInstance.create(path, config);
  } catch (error) {
    throw new EngineError(`cannot open the DuckDB database ${path}: ${(error as Error).message}`);
  }
  const connection = await instance.connect();
  // The threads DuckDB chose itself: its count of cores need not be Node's (containers' CPU quotas).
  const chosen = options.threads ?? Number((await connection.runAndReadAll("SELECT current_setting('threads') AS t")).getRowsJS()[0]?.[0] ?? 1);
  const fallback = new ThreadFallback(chosen, options.threads !== undefined, async (n) => {
    await connection.run(`SET threads = ${n}`);
  });
  const fail = (sql: string, error: unknown): never => {
    const message = (error as Error).message.split("\n")[0] as string;
    // One line: the statement's white space (the trim's character class holds line breaks) shown as spaces.
    const shown = (sql.length > 300 ? `${sql.slice(0, 300)}...` : sql).replace(/\s+/gu, " ");
    if (isOutOfMemory(error)) {
      throw new EngineError(
        `DuckDB ran out of the memory it may use (${options.memoryLimit ?? "its default, 80% of RAM"}): ${message}; give it more (memoryLimit) or fewer threads (threads) and run again (in: ${shown})`,
        { outOfMemory: true },
      );
    }
    throw new EngineError(`DuckDB refused a statement: ${message} (in: ${shown})`);
  };
  const toValue = (v: unknown): SqlValue => {
    if (v === null || v === undefined) return null;
    if (typeof v === "bigint") return Number(v);
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    return String(v);
  };
  const engine: Engine = {
    dialect: duckdbDialect,
    description: `duckdb (${path})`,
    async run(sql) {
      try {
        await fallback.run(() => connection.run(sql));
      } catch (error) {
        fail(sql, error);
      }
    },
    async rows(sql) {
      let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
      try {
        reader = await fallback.run(() => connection.runAndReadAll(sql));
      } catch (error) {
        return fail(sql, error);
      }
      const names = reader.deduplicatedColumnNames();
      return reader.getRowsJS().map((row) => Object.fromEntries(names.map((n, k) => [n, toValue(row[k])])));
    },
    async *stream(sql) {
      let result: Awaited<ReturnType<typeof connection.stream>>;
      try {
        result = await fallback.run(() => connection.stream(sql));
      } catch (error) {
        fail(sql, error);
        return;
      }
      for (;;) {
        let chunk: Awaited<ReturnType<typeof result.fetchChunk>>;
        try {
          chunk = await result.fetchChunk();
        } catch (error) {
          return fail(sql, error);
        }
        if (!chunk || chunk.rowCount === 0) return;
        yield chunk.getRows().map((row) => row.map(toValue));
      }
    },
    async createTextTable(table, columns) {
      const d = duckdbDialect;
      await engine.run(
        `CREATE OR REPLACE TABLE ${d.ident(table)} (${columns.map((c) => `${d.ident(c.name)} ${c.type === "integer" ? "BIGINT" : "VARCHAR"}`).join(", ")})`,
      );
      const appender = await connection.createAppender(table);
      const integer = columns.map((c) => c.type === "integer");
      const sink: TableAppender = {
        append(row) {
          for (let j = 0; j < row.length; j++) {
            const v = row[j] as string | number;
            if (integer[j]) appender.appendBigInt(BigInt(v));
            else appender.appendVarchar(String(v));
          }
          appender.endRow();
        },
        async flush() {
          appender.flushSync();
        },
        async close() {
          appender.closeSync();
        },
      };
      return sink;
    },
    async loadCsvFile(table, columns, file) {
      const d = duckdbDialect;
      const types = columns.map((c) => `${d.text(c.name)}: '${c.type === "integer" ? "BIGINT" : "VARCHAR"}'`).join(", ");
      await engine.run(
        `CREATE OR REPLACE TABLE ${d.ident(table)} AS SELECT * FROM read_csv(${d.text(file)}, header = false, delim = ',', quote = '"', escape = '"', auto_detect = false, strict_mode = true, columns = {${types}})`,
      );
    },
    async writeLines(sql, path, options = {}) {
      // One column, no quote character: each value (and the name) is written as it is, a line break after it.
      const [written] = await engine.rows(
        `COPY (${sql}) TO ${duckdbDialect.text(path)} (FORMAT csv, HEADER ${options.header === true}, QUOTE '', ESCAPE '', DELIMITER '\\x01', NEW_LINE '\\n')`,
      );
      return Number(written?.Count);
    },
    async columnsOf(relation) {
      const rows = await engine.rows(`DESCRIBE SELECT * FROM ${relation}`);
      return rows.map((r) => String(r.column_name));
    },
    // In the process: nothing crosses a network.
    bytesReceived: () => 0,
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
  return engine;
}
