import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { findChromium } from "@pipe/report";
import type { PipeConfig } from "./config.js";
import { inputKind } from "./engine-input.js";

/** Files up to this size are fingerprinted by content; larger ones by size and modification time. */
const HASHED_BYTES = 512 * 1024 * 1024;

async function fingerprint(input: string): Promise<Record<string, unknown>> {
  const kind = inputKind(input);
  // A table is fingerprinted by its database file (any change to the file re-runs etl).
  if (kind.kind === "duckdb") return { table: kind.table, ...(await fingerprint(kind.path)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    // A remote object can change without notice: a fresh value each time, so etl always runs.
    return { remote: input, read_at: new Date().toISOString() };
  }
  let size: number;
  let mtime: number;
  try {
    ({ size, mtimeMs: mtime } = statSync(input));
  } catch {
    return { missing: input };
  }
  if (size > HASHED_BYTES) return { path: input, size, mtime };
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(input)) hash.update(chunk as Buffer);
  return { path: input, size, sha256: hash.digest("hex") };
}

/**
 * What each stage's output depends on beyond the earlier stages' outputs: the settings it reads (and,
 * for etl, the input file's content). `pnpm run pipeline` writes these to files that are the stages'
 * only turbo inputs; turbo adds the hash of every stage a task depends on, so a change re-runs
 * exactly the stages downstream of it, and a run after a complete one is fully cached.
 */
export async function stageInputs(config: PipeConfig): Promise<Record<string, unknown>> {
  const { permutationRepeats, logisticBaseline, threads: _threads, ...fit } = config.model;
  return {
    etl: { input: await fingerprint(config.input), target: config.target, positive: config.positive ?? null, etl: config.etl },
    analyze: {},
    train: { testSize: config.testSize, seed: config.seed, model: fit },
    evaluate: { permutationRepeats, logisticBaseline },
    report: { report: config.report, chromium: config.report.png ? (findChromium() ?? null) : null },
  };
}
