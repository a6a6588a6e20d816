import { readFileSync } from "node:fs";
import { FeatureError, PipeModel } from "@pipe/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { titanicModel } from "../test/model-fixture.js";
import { createApp } from "./app.js";

let fixture: Awaited<ReturnType<typeof titanicModel>>;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  fixture = await titanicModel();
  app = createApp({ model: fixture.model, bodyLimit: 4096, maxBatch: 5 });
});
afterAll(() => fixture.cleanup());

const record = { Pclass: 3, Sex: "male", Age: 22, SibSp: 1, Parch: 0, Fare: 7.25, Embarked: "S" };
const post = (path: string, body: unknown, type = "application/json") =>
  app.request(path, { method: "POST", headers: { "content-type": type }, body: typeof body === "string" ? body : JSON.stringify(body) });

async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { status: number; title: string; detail: string; errors?: { path: string; message: string }[] };
  expect(body.status).toBe(res.status);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
  return body;
}

describe("prediction routes", () => {
  it("POST /predict answers prediction, label, probability, model version and warnings", async () => {
    const res = await post("/predict", record);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ prediction: expect.any(Number), label: expect.any(String), model_version: fixture.model.version, warnings: [] });
    expect(body.probability).toBeGreaterThanOrEqual(0);
    expect(body.probability).toBeLessThanOrEqual(1);
    expect(body.probability).toBe(fixture.model.predict(record).probability);
  });
  it("keeps the original path /predict/", async () => {
    expect((await post("/predict/", record)).status).toBe(200);
  });
  it("imputes a missing optional field and says so", async () => {
    const { Age: _, ...rest } = record;
    const body = (await (await post("/predict", rest)).json()) as { warnings: string[] };
    expect(body.warnings[0]).toMatch(/^Age: missing, imputed with the training median/);
  });
  it("answers an unseen category with a warning", async () => {
    const body = (await (await post("/predict", { ...record, Embarked: "X" })).json()) as { warnings: string[] };
    expect(body.warnings).toEqual(['Embarked: "X" was not seen in training (or was rare), treated as other']);
  });
  it("POST /predict/batch scores every record", async () => {
    const res = await post("/predict/batch", { records: [record, { ...record, Sex: "female" }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: { probability: number }[] };
    expect(body.predictions).toHaveLength(2);
  });
});

describe("errors are problem documents, never 500", () => {
  it("422 names an unknown field", async () => {
    const res = await post("/predict", { ...record, Cabin: "C85" });
    expect(res.status).toBe(422);
    const p = await problemOf(res);
    expect(p.errors?.[0]).toMatchObject({ path: "Cabin", message: expect.stringMatching(/^unknown field/) });
  });
  it("422 names a wrong type", async () => {
    const p = await problemOf(await post("/predict", { ...record, Age: "old" }));
    expect(p.errors?.[0]).toEqual({ path: "Age", message: 'must be a number, got "old"' });
  });
  it("422 for a body that is not an object, saying what it is", async () => {
    for (const [body, what] of [
      ["[1,2]", "an array"],
      ["42", "number"],
      ['"text"', '"text"'],
      ["null", "null"],
    ]) {
      const res = await post("/predict", body as string);
      expect(res.status).toBe(422);
      expect((await problemOf(res)).errors?.[0]).toEqual({ path: "(body)", message: `must be a JSON object with the model's fields, got ${what}` });
    }
    const batch = await post("/predict/batch", "[1]");
    expect((await problemOf(batch)).errors?.[0]).toEqual({ path: "(body)", message: 'must be a JSON object {"records": [...]}, got an array' });
  });
  it("422 for a __proto__ key, and no prototype pollution", async () => {
    const res = await post("/predict", '{"__proto__": {"polluted": true}, "Age": 3}');
    expect(res.status).toBe(422);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("400 for malformed JSON", async () => {
    const res = await post("/predict", '{"Age": 3');
    expect(res.status).toBe(400);
    expect((await problemOf(res)).title).toBe("Malformed JSON");
  });
  it("413 for a body over the limit", async () => {
    const res = await post("/predict", { ...record, Sex: "x".repeat(5000) });
    expect(res.status).toBe(413);
    await problemOf(res);
  });
  it("415 for a wrong content type", async () => {
    const res = await post("/predict", JSON.stringify(record), "text/plain");
    expect(res.status).toBe(415);
    await problemOf(res);
  });
  it("batch: 422 with record paths, 413 over the batch limit, 422 when empty", async () => {
    const bad = await post("/predict/batch", { records: [record, { ...record, Fare: "cheap" }] });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors?.[0]?.path).toBe("records[1].Fare");
    expect((await post("/predict/batch", { records: Array(6).fill(record) })).status).toBe(413);
    expect((await post("/predict/batch", { records: [] })).status).toBe(422);
    expect((await post("/predict/batch", { rows: [] })).status).toBe(422);
  });
  it("404 for an unknown route", async () => {
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    await problemOf(res);
  });
});

describe("service routes", () => {
  it("GET /health, /ready and /model", async () => {
    expect(await (await app.request("/health")).json()).toEqual({ status: "ok" });
    expect(await (await app.request("/ready")).json()).toEqual({ status: "ready", model_version: fixture.model.version });
    const m = (await (await app.request("/model")).json()) as { features: { name: string }[]; target: string };
    expect(m.target).toBe("Survived");
    expect(m.features.map((f) => f.name)).toEqual(["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"]);
  });
});

describe("documentation, metrics, keys and CORS", () => {
  it("GET /openapi.json is an OpenAPI 3.1 document with the record schema from the model", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: { Record: { properties: Record<string, unknown>; additionalProperties: boolean } } };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/predict", "/predict/batch", "/health", "/ready", "/model", "/metrics"]));
    // The used fields, then the ignored ones (this fixture's model knows only its target).
    expect(Object.keys(doc.components.schemas.Record.properties)).toEqual(["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked", "Survived"]);
    expect(doc.components.schemas.Record.additionalProperties).toBe(false);
  });
  it("GET /docs serves Swagger UI from the package, with no CDN", async () => {
    const html = await (await app.request("/docs")).text();
    expect(html).toContain('src="/docs/swagger-ui-bundle.js"');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await app.request("/docs/swagger-ui-bundle.js");
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
  });
  it("GET /metrics counts requests by route and status, and predictions by label", async () => {
    await post("/predict", record);
    await post("/predict", { ...record, Age: "x" });
    const text = await (await app.request("/metrics")).text();
    expect(text).toMatch(/pipe_http_requests_total\{method="POST",route="\/predict",status="200"\} \d+/);
    expect(text).toMatch(/pipe_http_requests_total\{method="POST",route="\/predict",status="422"\} \d+/);
    expect(text).toMatch(/pipe_predictions_total\{label="[01]"\} \d+/);
    expect(text).toContain("pipe_http_request_duration_seconds_bucket");
  });
  it("with API keys: 401 without a key, 200 with one; probes and docs stay open", async () => {
    const secured = createApp({ model: fixture.model, apiKeys: ["k1"] });
    const req = (headers: Record<string, string>) =>
      secured.request("/predict", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(record) });
    expect((await req({})).status).toBe(401);
    expect((await req({ authorization: "Bearer k1" })).status).toBe(200);
    expect((await secured.request("/health")).status).toBe(200);
    expect((await secured.request("/docs")).status).toBe(200);
  });
  it("CORS is off by default and answers only configured origins", async () => {
    const plain = await app.request("/health", { headers: { origin: "https://example.org" } });
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    const withCors = createApp({ model: fixture.model, corsOrigins: ["https://app.example.org"] });
    const ok = await withCors.request("/health", { headers: { origin: "https://app.example.org" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.org");
  });
});

describe("a value the schema passes but the model cannot read", () => {
  it("is a 422 naming the field, never a 500, on /predict and /predict/batch", async () => {
    // A copy of the fixture's model (the others' tests use the original).
    const model = PipeModel.parse(readFileSync(fixture.modelPath));
    const refuse = () => {
      throw new FeatureError("Age", 'Age: "x" is not a number');
    };
    model.predict = refuse;
    model.predictBatchAsync = async () => refuse();
    const stubbed = createApp({ model });
    for (const [path, body] of [
      ["/predict", record],
      ["/predict/batch", { records: [record] }],
    ] as const) {
      const res = await stubbed.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(res.status, path).toBe(422);
      expect(((await problemOf(res)).errors ?? [])[0]).toEqual({ path: "Age", message: 'Age: "x" is not a number' });
    }
  });
});
