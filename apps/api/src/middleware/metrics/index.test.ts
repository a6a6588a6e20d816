import { describe, expect, it } from "vitest";
import { Metrics } from "./index.js";

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
