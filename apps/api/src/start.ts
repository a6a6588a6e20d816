import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { PipeModel } from "@pipe/model";
import { type Logger, pino } from "pino";
import { createApp } from "./app.js";

export interface ServerOptions {
  modelPath: string;
  port?: number;
  host?: string;
  bodyLimit?: number;
  maxBatch?: number;
  apiKeys?: string[];
  corsOrigins?: string[];
  /** pino level for request logs ("silent" turns them off). */
  logLevel?: string;
  /** Fields the training data never had: rejected with a 422 (default) or ignored with a warning. */
  unknownFields?: "reject" | "ignore";
  /** Recent records kept for GET /drift (default 1000; 0: none). */
  driftWindow?: number;
  logger?: Logger;
}

export class ModelLoadError extends Error {
  override name = "ModelLoadError";
}

/** Loads the model once and serves it; resolves when listening, with a `close()` that lets in-flight requests finish. */
export async function startServer(options: ServerOptions) {
  let text: Buffer;
  try {
    text = await readFile(options.modelPath);
  } catch {
    throw new ModelLoadError(`model file ${options.modelPath} not found; train one with \`pipe train\` or set MODEL_PATH`);
  }
  const model = PipeModel.parse(text, options.modelPath);
  const logger = options.logger ?? pino({ level: options.logLevel ?? "info", base: { service: "pipe-api" } });
  const app = createApp({
    model,
    logger,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
    ...(options.apiKeys?.length ? { apiKeys: options.apiKeys } : {}),
    ...(options.corsOrigins?.length ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.unknownFields ? { unknownFields: options.unknownFields } : {}),
    ...(options.driftWindow !== undefined ? { driftWindow: options.driftWindow } : {}),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8080, hostname: options.host ?? "0.0.0.0" }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  return {
    model,
    logger,
    port: address.port,
    host: address.address,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
