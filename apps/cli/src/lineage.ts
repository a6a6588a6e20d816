import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
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
