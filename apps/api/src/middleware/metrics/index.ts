import type { MiddlewareHandler } from "hono";

const BUCKETS_MS = [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] as const;

/** Counters and a latency histogram in Prometheus' text format, kept in process. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly buckets = new Map<string, number[]>();
  private readonly sums = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly predictions = new Map<string, number>();
  private readonly sections: (() => string)[] = [];

  /** More metrics, rendered after these at every scrape (the drift gauges). */
  addSection(render: () => string): void {
    this.sections.push(render);
  }

  observe(route: string, method: string, status: number, ms: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const rkey = `route="${route}"`;
    let b = this.buckets.get(rkey);
    if (!b) {
      b = new Array(BUCKETS_MS.length).fill(0);
      this.buckets.set(rkey, b);
    }
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= (BUCKETS_MS[i] as number)) b[i] = (b[i] as number) + 1;
    this.sums.set(rkey, (this.sums.get(rkey) ?? 0) + ms / 1000);
    this.counts.set(rkey, (this.counts.get(rkey) ?? 0) + 1);
  }

  countPrediction(label: string): void {
    this.predictions.set(label, (this.predictions.get(label) ?? 0) + 1);
  }

  render(): string {
    const esc = (s: string) => s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
    const out: string[] = [];
    out.push("# HELP pipe_http_requests_total HTTP requests by method, route and status.", "# TYPE pipe_http_requests_total counter");
    for (const [k, v] of this.requests) out.push(`pipe_http_requests_total{${k}} ${v}`);
    out.push("# HELP pipe_http_request_duration_seconds Request latency.", "# TYPE pipe_http_request_duration_seconds histogram");
    for (const [k, b] of this.buckets) {
      BUCKETS_MS.forEach((le, i) => {
        out.push(`pipe_http_request_duration_seconds_bucket{${k},le="${le / 1000}"} ${b[i]}`);
      });
      out.push(`pipe_http_request_duration_seconds_bucket{${k},le="+Inf"} ${this.counts.get(k)}`);
      out.push(`pipe_http_request_duration_seconds_sum{${k}} ${this.sums.get(k)}`);
      out.push(`pipe_http_request_duration_seconds_count{${k}} ${this.counts.get(k)}`);
    }
    out.push("# HELP pipe_predictions_total Predictions served, by predicted label.", "# TYPE pipe_predictions_total counter");
    for (const [label, v] of this.predictions) out.push(`pipe_predictions_total{label="${esc(label)}"} ${v}`);
    return `${out.join("\n")}\n${this.sections.map((s) => s()).join("")}`;
  }
}

/** Times every request into `metrics`, labelled by its route pattern (not the raw path). */
export function collectMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    metrics.observe(c.req.routePath || "unmatched", c.req.method, c.res.status, performance.now() - start);
  };
}
