import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";

const BUCKETS_MS = [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] as const;

/** One route's requests by method and status, and its latency histogram. */
interface RouteStats {
  /** Per method, per status: requests. */
  requests: Map<string, Map<number, number>>;
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * Counters and a latency histogram in Prometheus' text format, kept in process. Kept by route, then
 * method and status, so a request only looks its counters up: no label text is built per request
 * (only when scraped).
 */
export class Metrics {
  private readonly routes = new Map<string, RouteStats>();
  private readonly predictions = new Map<string, number>();
  private readonly sections: (() => string)[] = [];

  /** More metrics, rendered after these at every scrape (the drift gauges). */
  addSection(render: () => string): void {
    this.sections.push(render);
  }

  observe(route: string, method: string, status: number, ms: number): void {
    let r = this.routes.get(route);
    if (!r) {
      r = { requests: new Map(), buckets: new Array(BUCKETS_MS.length).fill(0), sum: 0, count: 0 };
      this.routes.set(route, r);
    }
    let byStatus = r.requests.get(method);
    if (!byStatus) {
      byStatus = new Map();
      r.requests.set(method, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    const b = r.buckets;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= (BUCKETS_MS[i] as number)) b[i] = (b[i] as number) + 1;
    r.sum += ms / 1000;
    r.count++;
  }

  countPrediction(label: string): void {
    this.predictions.set(label, (this.predictions.get(label) ?? 0) + 1);
  }

  render(): string {
    const esc = (s: string) => s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
    const out: string[] = [];
    out.push("# HELP pipe_http_requests_total HTTP requests by method, route and status.", "# TYPE pipe_http_requests_total counter");
    for (const [route, r] of this.routes)
      for (const [method, byStatus] of r.requests)
        for (const [status, v] of byStatus) out.push(`pipe_http_requests_total{method="${method}",route="${route}",status="${status}"} ${v}`);
    out.push("# HELP pipe_http_request_duration_seconds Request latency.", "# TYPE pipe_http_request_duration_seconds histogram");
    for (const [route, r] of this.routes) {
      const k = `route="${route}"`;
      BUCKETS_MS.forEach((le, i) => {
        out.push(`pipe_http_request_duration_seconds_bucket{${k},le="${le / 1000}"} ${r.buckets[i]}`);
      });
      out.push(`pipe_http_request_duration_seconds_bucket{${k},le="+Inf"} ${r.count}`);
      out.push(`pipe_http_request_duration_seconds_sum{${k}} ${r.sum}`);
      out.push(`pipe_http_request_duration_seconds_count{${k}} ${r.count}`);
    }
    out.push("# HELP pipe_predictions_total Predictions served, by predicted label.", "# TYPE pipe_predictions_total counter");
    for (const [label, v] of this.predictions) out.push(`pipe_predictions_total{label="${esc(label)}"} ${v}`);
    return `${out.join("\n")}\n${this.sections.map((s) => s()).join("")}`;
  }
}

/**
 * Times every request into `metrics`, labelled by the pattern of the endpoint its path and method matched
 * (not the raw path), whichever handler answered: a body refused by the "/predict/*" cap before
 * /predict/batch's handler ran is /predict/batch's; "unmatched" when no endpoint matched (a 404). The
 * pattern of the handler that answered would be a middleware's ("/predict/*", "/*"), which nobody calls.
 */
export function collectMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    metrics.observe(endpointOf(c), c.req.method, c.res.status, performance.now() - start);
  };
}

/** The last matched route registered for a method (middleware is registered for every method: "ALL"). */
function endpointOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && route.method !== "ALL") return route.path;
  }
  return "unmatched";
}
