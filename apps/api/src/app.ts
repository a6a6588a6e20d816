import type { PipeModel } from "@pipe/model";
import { type Context, Hono } from "hono";
import { bodyLimit as limitBody } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Logger } from "pino";
import { openApiDocument } from "./docs/openapi.js";
import { swaggerAssets } from "./docs/swagger.js";
import { apiKeys } from "./middleware/auth/index.js";
import { collectMetrics, Metrics } from "./middleware/metrics/index.js";
import { requestLog } from "./middleware/request-log/index.js";
import { type FieldError, problem } from "./problem.js";
import { validateRecord } from "./validate.js";

/** Paths that need no API key: probes and documentation. */
const OPEN_PATHS = ["/health", "/ready", "/docs", "/docs/", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/init.js", "/openapi.json"];

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
}

type Parsed = { ok: true; value: unknown } | { ok: false; response: Response };

/** The prediction service as a Hono app: adapters (Node server, tests) call `app.fetch`. */
export function createApp(options: AppOptions) {
  const { model } = options;
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const maxBatch = options.maxBatch ?? 1000;
  const schema = model.featureSchema;
  const fields = model.inputFields;
  const unknownFields = options.unknownFields ?? "reject";
  const metrics = options.metrics ?? new Metrics();
  const app = new Hono();
  if (options.logger) app.use(requestLog(options.logger));
  app.use(collectMetrics(metrics));
  if (options.corsOrigins?.length)
    app.use(
      cors({ origin: [...options.corsOrigins], allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "authorization", "x-api-key", "x-request-id"] }),
    );
  if (options.apiKeys?.length) app.use(apiKeys(options.apiKeys, OPEN_PATHS));
  app.use("/predict/*", async (c, next) =>
    c.req.header("content-length")
      ? next()
      : limitBody({ maxSize: bodyLimit, onError: (cc) => problem(cc, 413, `the body is over the ${bodyLimit}-byte limit`) })(c, next),
  );
  app.use("/predict", async (c, next) =>
    c.req.header("content-length")
      ? next()
      : limitBody({ maxSize: bodyLimit, onError: (cc) => problem(cc, 413, `the body is over the ${bodyLimit}-byte limit`) })(c, next),
  );
  const openapi = JSON.stringify(openApiDocument(model, { maxBatch, bodyLimit, auth: Boolean(options.apiKeys?.length), unknownFields }));
  let swagger: ReturnType<typeof swaggerAssets> | undefined;
  const docs = () => {
    swagger ??= swaggerAssets();
    return swagger;
  };

  // Reads a JSON body with the checks every POST shares: media type, size, syntax.
  async function readJson(c: Context): Promise<Parsed> {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      return { ok: false, response: problem(c, 415, `send the body as application/json (got ${type ? `"${type}"` : "no content type"})`) };
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > bodyLimit) return { ok: false, response: problem(c, 413, `the body is ${declared} bytes; the limit is ${bodyLimit}`) };
    // text() takes the node server's fast path (arrayBuffer() goes through web streams); bodies
    // without a content-length are capped by the bodyLimit middleware while they stream in.
    const text = await c.req.text();
    if (Buffer.byteLength(text) > bodyLimit) return { ok: false, response: problem(c, 413, `the body is over the ${bodyLimit}-byte limit`) };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, response: problem(c, 400, `the body is not valid JSON: ${(error as Error).message}`) };
    }
  }

  const predictOne = (record: Record<string, unknown>, notes: string[]) => {
    const p = model.predict(record);
    metrics.countPrediction(p.label);
    return { prediction: p.prediction, label: p.label, probability: p.probability, model_version: model.version, warnings: [...notes, ...p.warnings] };
  };

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/metrics", (c) => c.text(metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }));
  app.get("/openapi.json", (c) => c.body(openapi, 200, { "content-type": "application/json" }));
  app.get("/docs", (c) => c.html(docs().html));
  app.get("/docs/", (c) => c.html(docs().html));
  app.get("/docs/swagger-ui.css", (c) => c.body(docs().css, 200, { "content-type": "text/css", "cache-control": "max-age=86400" }));
  app.get("/docs/swagger-ui-bundle.js", (c) => c.body(docs().js, 200, { "content-type": "text/javascript", "cache-control": "max-age=86400" }));
  app.get("/docs/init.js", (c) => c.body(docs().init, 200, { "content-type": "text/javascript" }));
  app.get("/ready", (c) => c.json({ status: "ready", model_version: model.version }));
  app.get("/model", (c) =>
    c.json({
      model_version: model.version,
      target: model.state.target,
      classes: model.state.classes,
      positive_class: model.state.positiveClass,
      threshold: model.state.threshold,
      features: schema,
      fields: {
        used: schema.map((f) => f.name),
        ignored: fields.ignored,
        unknown: unknownFields === "ignore" ? "ignored with a warning" : "rejected (422)",
        required: "none one by one (a missing value is imputed, with a warning), but a record needs at least one used field",
      },
      training: model.state.training,
      trees: model.state.forest.trees.length,
    }),
  );

  const single = async (c: Context) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const check = validateRecord(body.value, fields, { unknownFields });
    if (check.errors.length) return problem(c, 422, "the record does not fit the model's feature schema (GET /model lists it)", check.errors);
    return c.json(predictOne(body.value as Record<string, unknown>, check.warnings));
  };
  app.post("/predict", single);
  app.post("/predict/", single);

  app.post("/predict/batch", async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const v = body.value as { records?: unknown } | unknown[];
    const records = Array.isArray(v) ? v : v && typeof v === "object" ? (v as { records?: unknown }).records : undefined;
    if (!Array.isArray(records))
      return problem(c, 422, 'send {"records": [ {...}, ... ]} or a JSON array of records', [{ path: "records", message: "must be an array" }]);
    if (records.length === 0) return problem(c, 422, "the batch is empty", [{ path: "records", message: "must hold at least one record" }]);
    if (records.length > maxBatch) return problem(c, 413, `the batch holds ${records.length} records; the limit is ${maxBatch}`);
    const errors: FieldError[] = [];
    const notes: string[][] = [];
    records.forEach((r, i) => {
      const check = validateRecord(r, fields, { unknownFields, at: `records[${i}]` });
      errors.push(...check.errors);
      notes.push(check.warnings);
    });
    if (errors.length) return problem(c, 422, `${errors.length} field error(s) in the batch`, errors.slice(0, 100));
    const predictions = model.predictBatch(records as Record<string, unknown>[]).map((p, i) => {
      metrics.countPrediction(p.label);
      return {
        prediction: p.prediction,
        label: p.label,
        probability: p.probability,
        model_version: model.version,
        warnings: [...(notes[i] as string[]), ...p.warnings],
      };
    });
    return c.json({ model_version: model.version, predictions });
  });

  app.notFound((c) => problem(c, 404, `no route ${c.req.method} ${c.req.path}; see GET /model, POST /predict, POST /predict/batch`));
  app.onError((error, c) => {
    // A fault of ours, never of the request: log it, and keep the stack away from the client.
    if (options.logger) options.logger.error({ err: error, path: c.req.path }, "unhandled error");
    else process.stderr.write(`${JSON.stringify({ level: "error", msg: error.message, path: c.req.path })}\n`);
    return problem(c, 500, "the service failed to answer this request");
  });
  return app;
}
