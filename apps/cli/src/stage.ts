import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { PipeConfig } from "./config.js";
import type { Logger } from "./log.js";
import type { OutputPaths } from "./paths.js";

export interface StageContext {
  config: PipeConfig;
  paths: OutputPaths;
  log: Logger;
  versions: Record<string, string>;
  /** Overrides of the model path (evaluate, serve, predict). */
  modelPath?: string;
}

/** A stage could not run (a missing earlier output, data that does not fit): exit code 1. */
export class StageError extends Error {
  override name = "StageError";
}

/**
 * An output of an earlier stage is missing: exit code 3, whichever stage finds it, so a script can
 * tell "run the earlier stage" from a failed run (1) and a bad command line (2).
 */
export class MissingOutputError extends StageError {
  override name = "MissingOutputError";
  constructor(
    readonly path: string,
    readonly producer: string,
    hint = "",
  ) {
    super(`${path} not found; run \`pipe ${producer}\` first (or \`pipe run\`)${hint}`);
  }
}

/** Fails with MissingOutputError unless the file an earlier stage writes is there. */
export function requireOutput(path: string, producer: string, hint = ""): void {
  if (!existsSync(path)) throw new MissingOutputError(path, producer, hint);
}

/** Reads a JSON file an earlier stage wrote; says which stage to run when it is missing. */
export async function readStageJson<T>(path: string, producer: string): Promise<T> {
  requireOutput(path, producer);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new StageError(`${path} could not be read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StageError(`${path} is not valid JSON; run \`pipe ${producer}\` again`);
  }
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
