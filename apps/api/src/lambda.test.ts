import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { titanicModel } from "../test/model-fixture.js";

let fixture: Awaited<ReturnType<typeof titanicModel>>;
let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
beforeAll(async () => {
  fixture = await titanicModel();
  process.env.MODEL_PATH = fixture.modelPath;
  ({ handler } = (await import("./lambda.js")) as unknown as { handler: typeof handler });
});
afterAll(() => {
  delete process.env.MODEL_PATH;
  fixture.cleanup();
});

/** A sample API Gateway HTTP API (payload format 2.0) event. */
function event(method: string, path: string, body?: unknown) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json", host: "abc123.execute-api.eu-west-1.amazonaws.com" },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "test" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "29/Nov/2026:00:00:00 +0000",
      timeEpoch: 1795910400000,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

describe("AWS Lambda handler", () => {
  it("answers POST /predict from an API Gateway event", async () => {
    const res = await handler(event("POST", "/predict", { Sex: "female", Pclass: 1, Age: 30 }), {});
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { label: string; probability: number; model_version: string };
    expect(["0", "1"]).toContain(body.label);
    expect(body.model_version).toBe(fixture.model.version);
  });
  it("answers GET /health and a 422 problem document", async () => {
    expect((await handler(event("GET", "/health"), {})).statusCode).toBe(200);
    const bad = await handler(event("POST", "/predict", { Age: "x" }), {});
    expect(bad.statusCode).toBe(422);
    expect(JSON.parse(bad.body).errors[0].path).toBe("Age");
  });
});
