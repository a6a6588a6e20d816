import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Engine, type EngineInput, openClickHouse, openDuckDb } from "@pipe/etl";
import type { PipeConfig } from "./config.js";
import { UsageError } from "./errors.js";

/** What `--input` names: a CSV (path, http(s), s3), a Parquet file, or a table of a DuckDB database. */
export type InputKind =
  | { kind: "csv" }
  | { kind: "parquet"; path: string }
  | { kind: "duckdb"; path: string; table: string }
  | { kind: "clickhouse"; url: string; table: string };

const DUCKDB = /^duckdb:(?!\/\/)(.+?)(?:\?table=([^&]+))?$/;

/** Reads `--input`: `data.parquet`, `duckdb:warehouse.duckdb?table=sales`, or anything else as a CSV source. */
export function inputKind(input: string): InputKind {
  const duck = DUCKDB.exec(input);
  if (duck) {
    if (!duck[2]) throw new UsageError(`${input}: name the table, as in duckdb:${duck[1]}?table=sales`);
    return { kind: "duckdb", path: duck[1] as string, table: decodeURIComponent(duck[2]) };
  }
  if (/^clickhouses?:\/\//i.test(input)) {
    const url = new URL(input);
    const table = url.searchParams.get("table");
    if (!table) throw new UsageError(`${input}: name the table, as in clickhouse://default@host:8123/db?table=events`);
    url.search = "";
    return { kind: "clickhouse", url: url.toString(), table };
  }
  if (/\.parquet$/i.test(input) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return { kind: "parquet", path: input };
  return { kind: "csv" };
}

/** `--input` as messages show it: a URL's password masked. */
export function shownInput(input: string): string {
  return input.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}

/** `--input` with its file made absolute against `dir` (a config file's folder, or the working directory). */
export function resolveInput(input: string, dir: string): string {
  const duck = DUCKDB.exec(input);
  if (duck) return `duckdb:${resolve(dir, duck[1] as string)}${duck[2] ? `?table=${duck[2]}` : ""}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return input;
  return resolve(dir, input);
}

/** Whether the ETL runs in an engine: asked for, or needed (Parquet, DuckDB and ClickHouse inputs have no native reader). */
export function usesEngine(config: PipeConfig): boolean {
  return config.etl.engine !== "native" || inputKind(config.input).kind !== "csv";
}

/** An engine opened for a run, its input as a relation of it, and how to name a table of the input's database. */
export interface OpenedEngine {
  engine: Engine;
  input: EngineInput | undefined;
  table: (name: string) => string | undefined;
  /** Closes the engine and removes its work file (and DuckDB's journal and spill folder beside it). */
  close(): Promise<void>;
}

/**
 * DuckDB's memory limit for a stage: the configured one, else for `pipe predict` 256MB — scoring only
 * streams the table through, and under DuckDB's own default (80% of RAM) its buffer pool kept every block
 * it read (a 10 M-row table's predict grew past 1 GB) — and DuckDB's default for etl and train.
 */
export function duckDbMemoryLimit(configured: string | undefined, role: "etl" | "predict" | "train"): string | undefined {
  return configured ?? (role === "predict" ? "256MB" : undefined);
}

/**
 * The engine a run uses, with the input as a relation of it: the ClickHouse server of a clickhouse://
 * input, or a DuckDB whose work tables live in a file `.pipe-<role>-<pid>.duckdb` in `workDir` (spilling
 * to disk past `memoryLimit`), the user's database attached to it (read-only unless a result table is
 * written back).
 */
export async function openEngineInput(config: PipeConfig, workDir: string, role: "etl" | "predict" | "train"): Promise<OpenedEngine> {
  const { engineMemoryLimit, engineThreads } = config.etl;
  const kind = inputKind(config.input);
  if (kind.kind === "clickhouse") {
    // The work runs on the server the URL names; a Distributed table there spreads the reads over its shards.
    const engine = await openClickHouse({ url: kind.url });
    const d = engine.dialect;
    const database = new URL(kind.url).pathname.replace(/^\//, "") || "default";
    const relation = `${d.ident(database)}.${d.ident(kind.table)}`;
    try {
      await engine.columnsOf(relation);
    } catch {
      await engine.close();
      throw new UsageError(`${shownInput(kind.url)} has no table "${kind.table}" in database ${database} (or it cannot be read); check ?table=`);
    }
    return {
      engine,
      close: () => engine.close(),
      // ClickHouse tables have no row ids: rows are numbered in the order the server reads them — on the
      // node pipe talks to, over a subquery (on a Distributed table itself each shard would count its own).
      input: { relation: `(SELECT * FROM ${relation})`, name: shownInput(`${kind.url}?table=${kind.table}`), line: "rowNumberInAllBlocks() + 1" },
      table: (name) => `${d.ident(database)}.${d.ident(name)}`,
    };
  }
  if (config.etl.engine === "clickhouse")
    throw new UsageError("--engine clickhouse reads a ClickHouse table: give --input clickhouse://user@host:8123/db?table=NAME");
  await mkdir(workDir, { recursive: true });
  const workFile = join(workDir, `.pipe-${role}-${process.pid}.duckdb`);
  const memoryLimit = duckDbMemoryLimit(engineMemoryLimit, role);
  const engine = await openDuckDb({
    path: workFile,
    ...(memoryLimit ? { memoryLimit } : {}),
    ...(engineThreads ? { threads: engineThreads } : {}),
  });
  const d = engine.dialect;
  const close = async () => {
    await engine.close();
    for (const f of [workFile, `${workFile}.wal`, `${workFile}.tmp`]) await rm(f, { force: true, recursive: true });
  };
  try {
    if (kind.kind === "parquet") {
      return {
        engine,
        input: {
          relation: `read_parquet(${d.text(kind.path)}, file_row_number = true)`,
          name: kind.path,
          line: "file_row_number + 1",
          ignore: ["file_row_number"],
        },
        table: () => undefined,
        close,
      };
    }
    if (kind.kind === "duckdb") {
      const writes = config.etl.outputTable !== undefined;
      await engine.run(`ATTACH ${d.text(kind.path)} AS pipe_source${writes ? "" : " (READ_ONLY)"}`);
      const tables = await engine.rows(
        `SELECT table_name FROM information_schema.tables WHERE table_catalog = 'pipe_source' AND table_name = ${d.text(kind.table)}`,
      );
      if (tables.length === 0) {
        const all = await engine.rows(`SELECT table_name FROM information_schema.tables WHERE table_catalog = 'pipe_source' ORDER BY 1`);
        throw new UsageError(`${kind.path} has no table "${kind.table}"; its tables: ${all.map((t) => t.table_name).join(", ") || "(none)"}`);
      }
      return {
        engine,
        input: { relation: `pipe_source.${d.ident(kind.table)}`, name: `${kind.path}?table=${kind.table}`, line: "rowid + 1" },
        table: (name) => `pipe_source.${d.ident(name)}`,
        close,
      };
    }
    return { engine, input: undefined, table: () => undefined, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The processed table `--in-engine` trains on (`--output-table`); a UsageError when the settings cannot train in an engine. */
export function inEngineTable(config: PipeConfig): string {
  if (config.model.kind !== "forest") {
    throw new UsageError(`--in-engine grows a random forest; --model ${config.model.kind} trains in process (leave out --in-engine)`);
  }
  const kind = inputKind(config.input);
  const table = config.etl.outputTable;
  if ((kind.kind !== "duckdb" && kind.kind !== "clickhouse") || table === undefined) {
    throw new UsageError(
      "--in-engine trains on the processed table in the input's database: give the duckdb:FILE?table=T or clickhouse://...?table=T input and the --output-table NAME that `pipe etl` writes",
    );
  }
  return table;
}
