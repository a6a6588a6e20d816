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

/** Reads a JSON file an earlier stage wrote; says which stage to run when it is missing. */
export async function readStageJson<T>(path: string, producer: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new StageError(`${path} not found; run \`pipe ${producer}\` first (or \`pipe run\`)`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StageError(`${path} is not valid JSON; run \`pipe ${producer}\` again`);
  }
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
