import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { collectMetrics, Metrics } from "./index.js";

describe("Metrics", () => {
  it("renders counters and a cumulative histogram in Prometheus' format", () => {
    const m = new Metrics();
    m.observe("/predict", "POST", 200, 0.4);
    m.observe("/predict", "POST", 200, 3);
    m.observe("/predict", "POST", 422, 0.2);
    m.countPrediction("Yes");
    const text = m.render();
    expect(text).toContain('pipe_http_requests_total{method="POST",route="/predict",status="200"} 2');
    expect(text).toContain('pipe_http_requests_total{method="POST",route="/predict",status="422"} 1');
    expect(text).toContain('pipe_http_request_duration_seconds_bucket{route="/predict",le="0.0005"} 2');
    expect(text).toContain('pipe_http_request_duration_seconds_bucket{route="/predict",le="0.005"} 3');
    expect(text).toContain('pipe_http_request_duration_seconds_bucket{route="/predict",le="+Inf"} 3');
    expect(text).toContain('pipe_predictions_total{label="Yes"} 1');
  });
});

describe("collectMetrics", () => {
  it("labels a request by the endpoint it matched, whichever handler answered; a 404 as unmatched", async () => {
    const metrics = new Metrics();
    const app = new Hono();
    app.use(collectMetrics(metrics));
    // A middleware that refuses before the endpoint's handler runs (as the body cap does).
    app.use("/predict/*", async (c, next) => (c.req.header("x-refuse") ? c.text("too large", 413) : next()));
    app.post("/predict/batch", (c) => c.text("ok"));
    app.get("/items/:id", (c) => c.text(c.req.param("id")));
    await app.request("/predict/batch", { method: "POST" });
    await app.request("/predict/batch", { method: "POST", headers: { "x-refuse": "1" } });
    await app.request("/items/7");
    await app.request("/items/8");
    await app.request("/nowhere");
    const text = metrics.render();
    expect(text).toContain('pipe_http_requests_total{method="POST",route="/predict/batch",status="200"} 1');
    expect(text).toContain('pipe_http_requests_total{method="POST",route="/predict/batch",status="413"} 1');
    expect(text).toContain('pipe_http_requests_total{method="GET",route="/items/:id",status="200"} 2');
    expect(text).toContain('pipe_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).not.toMatch(/route="\/(predict\/)?\*"/u);
  });
});
