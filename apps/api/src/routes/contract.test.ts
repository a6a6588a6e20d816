import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { titanicModel } from "../../test/model-fixture.js";
import { createApp } from "../app.js";

// The routes and their document agree: every route the app answers is in /openapi.json, and every
// status the document promises for a route is produced by a request here. A new route, or a new
// documented status, fails this test until it has a request that exercises it.
let fixture: Awaited<ReturnType<typeof titanicModel>>;
let app: ReturnType<typeof createApp>;
let guarded: ReturnType<typeof createApp>;
let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>> };
const LIMIT = 4096;
beforeAll(async () => {
  fixture = await titanicModel();
  app = createApp({ model: fixture.model, bodyLimit: LIMIT, maxBatch: 5 });
  guarded = createApp({ model: fixture.model, bodyLimit: LIMIT, maxBatch: 5, apiKeys: ["secret"] });
  doc = (await (await app.request("/openapi.json")).json()) as typeof doc;
});
afterAll(() => fixture.cleanup());

const record = { Pclass: 3, Sex: "male", Age: 22, Fare: 7.25 };
/** A request each route answers with 200, by "METHOD path". */
const VALID: Record<string, { body?: unknown }> = {
  "POST /predict": { body: record },
  "POST /predict/": { body: record },
  "POST /predict/batch": { body: { records: [record, record] } },
};
/** A valid request turned into one that earns the status. */
const RECIPES: Record<string, (method: string, path: string) => { app: ReturnType<typeof createApp>; init: RequestInit }> = {
  "200": (method, path) => ({ app, init: json(method, VALID[`${method} ${path}`]?.body) }),
  "400": (method) => ({ app, init: { method, headers: { "content-type": "application/json" }, body: '{"Age": ' } }),
  "401": (method, path) => ({ app: guarded, init: json(method, VALID[`${method} ${path}`]?.body) }),
  "413": (method) => ({ app, init: json(method, { Sex: "x".repeat(LIMIT) }) }),
  "415": (method) => ({ app, init: { method, headers: { "content-type": "text/plain" }, body: "Age=22" } }),
  "422": (method, path) => ({ app, init: json(method, path.endsWith("batch") ? { records: [{ Age: "old" }] } : { Age: "old" }) }),
};
function json(method: string, body: unknown): RequestInit {
  return body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

describe("the routes and /openapi.json", () => {
  it("documents every route the app answers", () => {
    const answered = new Set(app.routes.filter((r) => r.method !== "ALL" && !r.path.includes("*")).map((r) => `${r.method} ${r.path}`));
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    expect([...answered].sort()).toEqual([...documented].sort());
    expect(documented).toContain("GET /model/importance");
  });

  it("every documented status of every route is what a request gets", async () => {
    const exercised: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const status of Object.keys(op.responses)) {
          const recipe = RECIPES[status];
          expect(recipe, `no request in this test earns ${status} from ${method.toUpperCase()} ${path}: add one`).toBeDefined();
          const { app: target, init } = (recipe as NonNullable<typeof recipe>)(method.toUpperCase(), path);
          const res = await target.request(path, init);
          expect(res.status, `${method.toUpperCase()} ${path} → ${status}`).toBe(Number(status));
          exercised.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(exercised.length).toBeGreaterThan(20);
  });

  it("routes needing no key are documented with no security", () => {
    for (const path of ["/health", "/ready", "/docs", "/openapi.json"]) expect(doc.paths[path]?.get?.security).toEqual([]);
  });
});

describe("GET /model/importance", () => {
  it("gives each input field's impurity importance, highest first, summing to 1", async () => {
    const body = (await (await app.request("/model/importance")).json()) as { model_version: string; importance: { feature: string; impurity: number }[] };
    expect(body.model_version).toBe(fixture.model.version);
    expect(body.importance.map((i) => i.feature).sort()).toEqual(fixture.model.featureSchema.map((f) => f.name).sort());
    const total = body.importance.reduce((s, i) => s + i.impurity, 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-9);
    for (let k = 1; k < body.importance.length; k++) expect(body.importance[k - 1]?.impurity).toBeGreaterThanOrEqual(body.importance[k]?.impurity as number);
  });
});
