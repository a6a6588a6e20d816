import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { ByteSource } from "@pipe/etl";
import type { PipeConfig } from "./config.js";
import { shownInput } from "./engine-input.js";

/**
 * A byte source that fingerprints itself while the ETL reads it: the first pass that reaches the end
 * gives the SHA-256 of the input's bytes (a local file, an http(s) or S3 object alike), so the input
 * is not read again to hash it; later passes are not hashed.
 */
export function hashingSource(source: ByteSource): { source: ByteSource; sha256: () => string | null } {
  let digest: string | null = null;
  const wrapped: ByteSource = {
    name: source.name,
    size: () => source.size(),
    async *open() {
      if (digest !== null) {
        yield* source.open();
        return;
      }
      const hash = createHash("sha256");
      for await (const chunk of source.open()) {
        hash.update(chunk);
        yield chunk;
      }
      digest ??= hash.digest("hex");
    },
  };
  return { source: wrapped, sha256: () => digest };
}

/**
 * The SHA-256 of a local file, computed on a worker thread while this thread does other work (the
 * ETL reads the same file): hashing a 119 MB file costs ~85 ms of a core, taken off the ETL's one.
 * `sha256()` gives null when the file changed while it was read (its size or modification time
 * moved), since the hash might then not be of the bytes the ETL read, or when the worker could not read
 * it; `stop()` ends the worker.
 */
export function hashFileAside(path: string): { sha256: () => Promise<string | null>; stop: () => Promise<void> } {
  const before = stat(path).then(
    (s) => `${s.size}:${s.mtimeMs}`,
    () => null,
  );
  const worker = new Worker(HASH_FILE_WORKER, { eval: true, workerData: path });
  const digest = new Promise<string | null>((resolve) => {
    worker.once("message", (m: { sha256?: string }) => resolve(m.sha256 ?? null));
    worker.once("error", () => resolve(null));
    worker.once("exit", () => resolve(null));
  });
  return {
    async sha256() {
      const [hash, was, now] = await Promise.all([
        digest,
        before,
        stat(path).then(
          (s) => `${s.size}:${s.mtimeMs}`,
          () => null,
        ),
      ]);
      return hash !== null && was !== null && was === now ? hash : null;
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** The hashing worker's script (evaluated: no file of its own to ship beside the bundle). */
const HASH_FILE_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { createReadStream } = require("node:fs");
const hash = createHash("sha256");
createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on("data", (chunk) => hash.update(chunk))
  .on("end", () => parentPort.postMessage({ sha256: hash.digest("hex") }))
  .on("error", () => parentPort.postMessage({}));
`;

/** The SHA-256 of a local input file the ETL does not read itself (a Parquet or DuckDB file), or null for a URL or a server table. */
export async function inputSha256(input: string): Promise<string | null> {
  const path = input.replace(/^duckdb:/, "").replace(/\?table=.*$/, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || !existsSync(path) || !statSync(path).isFile()) return null;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The commit of the git repository the pipeline runs in (null outside one, or without git), with a "+dirty" mark for uncommitted changes. */
export function gitCommit(cwd = process.cwd()): string | null {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" });
  if (head.status !== 0 || !/^[0-9a-f]{40}$/.test(head.stdout.trim())) return null;
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, encoding: "utf8" });
  return `${head.stdout.trim()}${dirty.status === 0 && dirty.stdout.trim() !== "" ? "+dirty" : ""}`;
}

/** The settings that made a model, with nothing secret in them (the input as shown, no endpoint). */
export function recordedConfig(config: PipeConfig): Record<string, unknown> {
  const { s3Endpoint: _, ...etl } = config.etl;
  return { ...config, input: shownInput(config.input), etl };
}

/** JSON with object keys in order: the same settings always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}
