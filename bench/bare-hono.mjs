// The reference ceiling of bench:api: a bare Hono POST route that echoes one JSON field.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/predict", async (c) => {
  const body = await c.req.json();
  return c.json({ echo: body.age ?? null });
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" }, () => console.log("ready"));
