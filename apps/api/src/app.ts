import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { PipeModel } from "@pipe/model";
import type { Context } from "hono";
import { bodyLimit as limitBody } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Logger } from "pino";
import { CLIENT_CLOSED_REQUEST, isClientAbort } from "./client-abort.js";
import { DriftWindow } from "./drift/window.js";
import { apiKeys } from "./middleware/auth/index.js";
import { collectMetrics, Metrics } from "./middleware/metrics/index.js";
import { requestLog } from "./middleware/request-log/index.js";
import { problem } from "./problem.js";
import type { ApiApp, ApiRoute, RouteContext } from "./routes/context.js";
import { docs } from "./routes/docs.js";
import { drift } from "./routes/drift.js";
import { ExplainQueue } from "./routes/explain-queue.js";
import { health } from "./routes/health.js";
import { metrics as metricsRoute } from "./routes/metrics.js";
import { modelInfo } from "./routes/model.js";
import { modelImportance } from "./routes/model-importance.js";
import { predict } from "./routes/predict.js";
import { predictBatch } from "./routes/predict-batch.js";
import { apiSchemas, fieldErrors } from "./routes/schemas.js";

/** The service's routes: each declares its schemas, handler and documentation in its own file. */
export const ROUTES: readonly ApiRoute[] = [predict, predictBatch, health, modelInfo, modelImportance, drift, metricsRoute, docs];

export interface AppOptions {
  model: PipeModel;
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Most records in one /predict/batch call (default 1000). */
  maxBatch?: number;
  /** When set, every route but the probes and the docs needs one of these keys. */
  apiKeys?: readonly string[];
  /** Origins allowed by CORS; CORS is off when absent. */
  corsOrigins?: readonly string[];
  /** Structured request logs (pino); none when absent. */
  logger?: Logger;
  metrics?: Metrics;
  /**
   * A field the training data never had: a 422 naming it (default, "reject"), or ignored with a
   * warning ("ignore"). Columns the training file had but the model does not use are always ignored.
   */
  unknownFields?: "reject" | "ignore";
  /** Recent records kept to measure drift against the training data (default 1000; 0: none). */
  driftWindow?: number;
  /**
   * Threads a large batch is scored and explained on (default 1: this one; the Node server uses up
   * to 4 of the machine's cores, the workers started by startScoreWorkers).
   */
  scoreThreads?: number;
}

/** The prediction service as a Hono app: adapters (Node server, Lambda, tests) call `app.fetch`. */
export function createApp(options: AppOptions) {
  return createService(options).app;
}

/**
 * The app and the state its routes share (model, schemas, metrics, drift window): what an adapter
 * needs to answer a route's commonest request itself, as the Node server's /predict fast path does.
 */
export function createService(options: AppOptions): { app: ApiApp; ctx: RouteContext } {
  const { model } = options;
  // A record is a raw row: its cells cleaned as the ETL cleaned the training rows (a 0 read as missing there is missing here too).
  model.cleanInputsAsTrained();
  const unknownFields = options.unknownFields ?? "reject";
  const scoreThreads = Math.max(1, Math.floor(options.scoreThreads ?? 1));
  const ctx: RouteContext = {
    model,
    schemas: apiSchemas(model, { unknownFields }),
    metrics: options.metrics ?? new Metrics(),
    maxBatch: options.maxBatch ?? 1000,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    unknownFields,
    drift: new DriftWindow(model, options.driftWindow ?? 1000),
    scoreThreads,
    explainQueue: new ExplainQueue(model, scoreThreads),
  };
  ctx.metrics.addSection(() => ctx.drift.render());
  // JSON bodies are validated by registerJsonRoute; a route that declares query or path schemas
  // through app.openapi gets the same 422 problem document naming each field.
  const app = new OpenAPIHono({
    defaultHook: (result, c: Context) =>
      result.success ? undefined : problem(c, 422, "the request does not fit this route's schema", fieldErrors(result.error, ctx.schemas).slice(0, 100)),
  });
  if (options.logger) app.use(requestLog(options.logger));
  app.use(collectMetrics(ctx.metrics));
  if (options.corsOrigins?.length)
    app.use(
      cors({ origin: [...options.corsOrigins], allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "authorization", "x-api-key", "x-request-id"] }),
    );
  const open = ROUTES.flatMap((r) => r.open ?? []);
  if (options.apiKeys?.length) app.use(apiKeys(options.apiKeys, open));
  // A body sent without a length is capped while it streams in; one with a length is checked up front.
  const capped = async (c: Context, next: () => Promise<void>) =>
    c.req.header("content-length")
      ? next()
      : limitBody({ maxSize: ctx.bodyLimit, onError: (cc) => problem(cc, 413, `the body is over the ${ctx.bodyLimit}-byte limit`) })(c, next);
  // "/predict/*" also matches "/predict" itself: registered once, the check runs once a request.
  app.use("/predict/*", capped);

  for (const route of ROUTES) route.register(app, ctx);

  const auth = Boolean(options.apiKeys?.length);
  let document: string | undefined;
  app.openapi(
    createRoute({
      method: "get",
      path: "/openapi.json",
      summary: "This OpenAPI document",
      security: [],
      responses: { 200: { description: "OpenAPI 3.1", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } } },
    }),
    (c) => {
      // Serialised once: the document is the same for the life of the app.
      document ??= JSON.stringify(openApiDocument(app, model, ctx, auth));
      return c.body(document, 200, { "content-type": "application/json" }) as never;
    },
  );

  app.notFound((c) => problem(c, 404, `no route ${c.req.method} ${c.req.path}; see GET /model, POST /predict, POST /predict/batch`));
  app.onError((error, c) => {
    // The client went away while its request was read: nobody to answer, and no fault of ours.
    if (isClientAbort(error, c.req.raw.signal)) return new Response(null, { status: CLIENT_CLOSED_REQUEST });
    // A fault of ours, never of the request: log it, and keep the stack away from the client.
    if (options.logger) options.logger.error({ err: error, path: c.req.path }, "unhandled error");
    else process.stderr.write(`${JSON.stringify({ level: "error", msg: error.message, path: c.req.path })}\n`);
    return problem(c, 500, "the service failed to answer this request");
  });
  return { app, ctx };
}

/** The OpenAPI 3.1 document, derived from the routes' own schemas (the ones that validate requests). */
function openApiDocument(app: OpenAPIHono, model: PipeModel, ctx: RouteContext, auth: boolean) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "apiKey", in: "header", name: "x-api-key" });
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: `pipe prediction service: ${model.state.target}`,
      version: model.version,
      description: `${model.kindName.replace(/^./, (c) => c.toUpperCase())} (${model.sizeName}) predicting ${model.state.target} = ${model.state.positiveClass}. Bodies up to ${ctx.bodyLimit} bytes; batches up to ${ctx.maxBatch} records.`,
    },
    ...(auth ? { security: [{ bearer: [] }, { apiKey: [] }] } : {}),
  });
}
