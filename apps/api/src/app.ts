import type { PipeModel } from "@pipe/model";
import { type Context, Hono } from "hono";
import { type FieldError, problem } from "./problem.js";
import { validateRecord } from "./validate.js";

export interface AppOptions {
  model: PipeModel;
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Most records in one /predict/batch call (default 1000). */
  maxBatch?: number;
}

type Parsed = { ok: true; value: unknown } | { ok: false; response: Response };

/** The prediction service as a Hono app: adapters (Node server, tests) call `app.fetch`. */
export function createApp(options: AppOptions) {
  const { model } = options;
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const maxBatch = options.maxBatch ?? 1000;
  const schema = model.featureSchema;
  const app = new Hono();

  // Reads a JSON body with the checks every POST shares: media type, size, syntax.
  async function readJson(c: Context): Promise<Parsed> {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      return { ok: false, response: problem(c, 415, `send the body as application/json (got ${type ? `"${type}"` : "no content type"})`) };
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > bodyLimit) return { ok: false, response: problem(c, 413, `the body is ${declared} bytes; the limit is ${bodyLimit}`) };
    const buf = await c.req.arrayBuffer();
    if (buf.byteLength > bodyLimit) return { ok: false, response: problem(c, 413, `the body is over the ${bodyLimit}-byte limit`) };
    const text = new TextDecoder().decode(buf);
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, response: problem(c, 400, `the body is not valid JSON: ${(error as Error).message}`) };
    }
  }

  const predictOne = (record: Record<string, unknown>) => {
    const p = model.predict(record);
    return { prediction: p.prediction, label: p.label, probability: p.probability, model_version: model.version, warnings: p.warnings };
  };

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", (c) => c.json({ status: "ready", model_version: model.version }));
  app.get("/model", (c) =>
    c.json({
      model_version: model.version,
      target: model.state.target,
      classes: model.state.classes,
      positive_class: model.state.positiveClass,
      threshold: model.state.threshold,
      features: schema,
      training: model.state.training,
      trees: model.state.forest.trees.length,
    }),
  );

  const single = async (c: Context) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const errors = validateRecord(body.value, schema);
    if (errors.length) return problem(c, 422, "the record does not fit the model's feature schema (GET /model lists it)", errors);
    return c.json(predictOne(body.value as Record<string, unknown>));
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
    records.forEach((r, i) => void errors.push(...validateRecord(r, schema, `records[${i}]`)));
    if (errors.length) return problem(c, 422, `${errors.length} field error(s) in the batch`, errors.slice(0, 100));
    return c.json({ model_version: model.version, predictions: records.map((r) => predictOne(r as Record<string, unknown>)) });
  });

  app.notFound((c) => problem(c, 404, `no route ${c.req.method} ${c.req.path}; see GET /model, POST /predict, POST /predict/batch`));
  app.onError((error, c) => {
    // A fault of ours, never of the request: log it, and keep the stack away from the client.
    console.error(JSON.stringify({ level: "error", msg: error.message, path: c.req.path }));
    return problem(c, 500, "the service failed to answer this request");
  });
  return app;
}
