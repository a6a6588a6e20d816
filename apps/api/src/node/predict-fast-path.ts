import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Prediction } from "@pipe/model";
import type { Logger } from "pino";
import { CLIENT_CLOSED_REQUEST } from "../client-abort.js";
import { presentsKey } from "../middleware/auth/index.js";
import { logRequest, requestIdOf } from "../middleware/request-log/index.js";
import type { RouteContext } from "../routes/context.js";
import { JSON_MEDIA_TYPE } from "../routes/json-body.js";
import { answerOf } from "../routes/predict.js";

/** A Node request listener (`http.createServer`'s). */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface PredictFastPathOptions {
  /** The app's shared state (createService): the same model, schemas, metrics and drift window. */
  ctx: RouteContext;
  /** The app's request logger; without one the app sends no x-request-id, and neither does this path. */
  logger?: Logger;
  /** The app's API keys: a request must present one, as the app's auth middleware requires. */
  apiKeys?: readonly string[];
  /** The app's CORS origins (CORS is off when absent): an answer here gets the headers the app's CORS middleware adds. */
  corsOrigins?: readonly string[];
}

/**
 * POST /predict answered on Node's own request and response, for the commonest request: a JSON record
 * the record schema accepts as it is, with a content-length, no query string. Anything else — a
 * record to refuse, a body to stream, a model that throws, `?explain` — goes to `listener` (the
 * Hono app) untouched, or with the body already read (`rawBody`, which @hono/node-server reads in
 * place of the stream), so every refusal is the app's own. An answer here is byte for byte the app's:
 * the same `answerOf`, headers, log line and metrics (src/node/predict-fast-path.test.ts holds the two
 * paths to the same responses, logs and counters).
 *
 * Why it exists: the Web Request and Response the adapter builds for each request, the middleware
 * chain and the Headers objects cost more CPU than scoring a 100-tree forest; this path is what
 * brings /predict near the bare framework route's throughput (bench:api).
 */
export function withPredictFastPath(listener: NodeListener, options: PredictFastPathOptions): NodeListener {
  const { ctx, logger } = options;
  const keys = options.apiKeys?.length ? options.apiKeys : undefined;
  const origins = options.corsOrigins?.length ? new Set(options.corsOrigins) : undefined;
  return (req, res) => {
    const path = req.url;
    if (req.method !== "POST" || (path !== "/predict" && path !== "/predict/")) return listener(req, res);
    const headers = req.headers;
    const type = headers["content-type"];
    const length = headers["content-length"];
    if (type === undefined || !JSON_MEDIA_TYPE.test(type) || length === undefined || !(Number(length) <= ctx.bodyLimit)) return listener(req, res);
    if (keys && !presentsKey(keys, headers.authorization, single(headers, "x-api-key"))) return listener(req, res);
    const start = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A client that leaves before its body is read whole: no answer, a 499 in the log and metrics, as the app has it.
    req.on("close", () => {
      if (req.complete) return;
      const ms = performance.now() - start;
      ctx.metrics.observe(path, "POST", CLIENT_CLOSED_REQUEST, ms);
      if (logger) logRequest(logger, requestIdOf(single(headers, "x-request-id")), "POST", path, CLIENT_CLOSED_REQUEST, ms);
    });
    req.on("end", () => {
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const answer = scored(ctx, body);
      if (answer === undefined) {
        // The app reads this in place of the stream, already consumed here.
        Object.assign(req, { rawBody: body });
        listener(req, res);
        return;
      }
      const json = JSON.stringify(answer);
      const id = logger ? requestIdOf(single(headers, "x-request-id")) : undefined;
      const sent: Record<string, string | number> = { "content-type": "application/json" };
      if (id !== undefined) sent["x-request-id"] = id;
      if (origins) corsHeaders(origins, headers.origin, sent);
      sent["Content-Length"] = Buffer.byteLength(json);
      res.writeHead(200, sent);
      res.end(json);
      const ms = performance.now() - start;
      ctx.metrics.observe(path, "POST", 200, ms);
      if (logger && id !== undefined) logRequest(logger, id, "POST", path, 200, ms);
    });
  };
}

/** The answer to a body the app would answer with a 200 (counted, added to the drift window), else undefined and no trace. */
function scored(ctx: RouteContext, body: Buffer): ReturnType<typeof answerOf> | undefined {
  const text = body.toString();
  // The app's check of the decoded text: an invalid byte decodes to three, so only a body over a third
  // of the limit can decode past it.
  if (body.length * 3 > ctx.bodyLimit && Buffer.byteLength(text) > ctx.bodyLimit) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!ctx.schemas.acceptsRecord(record)) return undefined;
  const fields = record as Record<string, unknown>;
  let prediction: Prediction;
  try {
    prediction = ctx.model.predict(fields);
  } catch {
    // The app meets the same error and answers it as it does (its handler's refusal or its 500).
    return undefined;
  }
  return answerOf(ctx, fields, prediction);
}

/**
 * What hono/cors adds to the answer of a request that is not a preflight, as the app configures it (a
 * list of origins): the origin echoed when it is one of them, and `Vary: Origin` whatever it is.
 */
function corsHeaders(origins: ReadonlySet<string>, origin: string | undefined, into: Record<string, string | number>): void {
  if (origin !== undefined && origins.has(origin)) into["access-control-allow-origin"] = origin;
  into.vary = "Origin";
}

/** A header's one value (Node joins a repeated one with ", ", as a Web Headers object does). */
function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}
