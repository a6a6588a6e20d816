import type { OpenAPIHono } from "@hono/zod-openapi";
import type { PipeModel } from "@pipe/model";
import type { DriftWindow } from "../drift/window.js";
import type { Metrics } from "../middleware/metrics/index.js";
import type { ExplainQueue } from "./explain-queue.js";
import type { ApiSchemas } from "./schemas.js";

/** What every route reads: the model, its schemas (built once) and the service's limits. */
export interface RouteContext {
  model: PipeModel;
  schemas: ApiSchemas;
  metrics: Metrics;
  maxBatch: number;
  bodyLimit: number;
  unknownFields: "reject" | "ignore";
  /** The recent records, for GET /drift and the drift gauges. */
  drift: DriftWindow;
  /** Threads a large batch is scored and explained on (1: the request's own). */
  scoreThreads: number;
  /** Single records to explain, gathered into batches while the service is busy. */
  explainQueue: ExplainQueue;
}

// biome-ignore lint/suspicious/noExplicitAny: the app's variable and schema types differ per route
export type ApiApp = OpenAPIHono<any, any, any>;

/** A route of the service: its OpenAPI declaration and handler, registered together. */
export interface ApiRoute {
  /** Registers the route (and its documentation) on the app. */
  register(app: ApiApp, ctx: RouteContext): void;
  /** Paths that need no API key (probes, documentation). */
  open?: readonly string[];
}
