import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { getRequestListener } from "@hono/node-server";
import { ModelError, PipeModel, startScoreWorkers, stopScoreWorkers } from "@pipe/model";
import type { Logger } from "pino";
import { createService } from "./app.js";
import { serviceLogger } from "./log.js";
import { withPredictFastPath } from "./node/predict-fast-path.js";

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
  /** Threads large batches are scored on (default: the machine's cores, at most 4; 1: no worker threads). */
  scoreThreads?: number;
  /**
   * Build the explainer on every scoring thread before listening (default true): the first request
   * with `explain` is then as fast as the next ones (the 100-tree Adult forest: 15 ms, not 180), for
   * ~25 MB a thread held from the start. False builds it when first asked (a service nobody asks to explain).
   */
  warmExplanations?: boolean;
  logger?: Logger;
  /**
   * POST /predict's commonest requests answered on Node's request and response rather than through
   * the app's Web Request and Response (default true; the answers are the same, see
   * withPredictFastPath). False sends every request through the app.
   */
  predictFastPath?: boolean;
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
  // The trees laid out for single rows before the first request, not during the 1,001st.
  model.warmUp();
  // At most 4 by default: a container often reports its host's cores, and each worker holds a copy of the forest.
  const threads = Math.max(1, Math.floor(options.scoreThreads ?? Math.min(4, availableParallelism())));
  // Started with the service, so the first large batch does not wait for them; a logistic regression scores on this thread.
  const workers = threads > 1 && !model.linear && startScoreWorkers(threads);
  const scoreThreads = workers ? threads : 1;
  const own = options.logger ? undefined : serviceLogger(options.logLevel ?? "info");
  const logger = options.logger ?? (own?.logger as Logger);
  if (options.warmExplanations !== false) {
    await model.warmUpExplanations(scoreThreads).catch((error: unknown) => {
      // A model file without node covers cannot be explained: its requests say so (a 422), the service starts.
      if (error instanceof ModelError) return;
      // Anything else is for the operator: predictions are served, explanations are built when first asked.
      logger.warn({ err: error }, "explanations not readied at start; they will be built when first asked for");
    });
  }
  const { app, ctx } = createService({
    model,
    logger,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
    ...(options.apiKeys?.length ? { apiKeys: options.apiKeys } : {}),
    ...(options.corsOrigins?.length ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.unknownFields ? { unknownFields: options.unknownFields } : {}),
    ...(options.driftWindow !== undefined ? { driftWindow: options.driftWindow } : {}),
    scoreThreads,
  });
  const host = options.host ?? "0.0.0.0";
  const listener = getRequestListener(app.fetch, { hostname: host });
  const server = createServer(
    options.predictFastPath === false
      ? listener
      : withPredictFastPath(listener, {
          ctx,
          logger,
          ...(options.apiKeys?.length ? { apiKeys: options.apiKeys } : {}),
          ...(options.corsOrigins?.length ? { corsOrigins: options.corsOrigins } : {}),
        }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    model,
    logger,
    port: address.port,
    host: address.address,
    /** The threads large batches are scored on (1 when worker threads are off or cannot start). */
    scoreThreads,
    /** Writes the log lines still buffered (the service's own logger writes them in blocks). */
    flushLog: async () => {
      await own?.flush();
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (workers) await stopScoreWorkers();
      await own?.flush();
      own?.close();
    },
  };
}
