// The second reference of bench:api: a bare Hono POST route that scores the record with pipe's model and
// answers the prediction — no validation, no request log, no metrics, no request id. What the service adds
// over it is its own work; what it adds over bench/bare-hono.mjs is also the model's.
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const { PipeModel } = await import("../packages/model/dist/index.js");
const model = PipeModel.parse(readFileSync(process.env.MODEL_PATH));
model.warmUp();
const app = new Hono();
app.post("/predict", async (c) => {
  try {
    const p = model.predict(await c.req.json());
    return c.json({ prediction: p.prediction, label: p.label, probability: p.probability, model_version: model.version, warnings: p.warnings });
  } catch (error) {
    return c.json({ error: error.message }, 422);
  }
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" }, () => console.log("ready"));
