import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { titanicModel } from "../../test/model-fixture.js";
import { createApp } from "../app.js";
import { EXPLAIN_NODE_BUDGET } from "./explain.js";

let fixture: Awaited<ReturnType<typeof titanicModel>>;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  fixture = await titanicModel();
  app = createApp({ model: fixture.model, bodyLimit: 8192, maxBatch: 5 });
});
afterAll(() => fixture.cleanup());

const record = { Pclass: 3, Sex: "male", Age: 22, SibSp: 1, Parch: 0, Fare: 7.25, Embarked: "S" };
const post = (path: string, body: unknown) =>
  app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

interface Explained {
  probability: number;
  explanation: { base_value: number; score: number; rest: number; contributions: { column: string; value: unknown; contribution: number }[] };
}

describe("?explain on the prediction routes", () => {
  it("POST /predict?explain=true returns every column's contribution, adding up to the score", async () => {
    const res = await post("/predict?explain=true", record);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Explained;
    const e = body.explanation;
    expect(e.contributions.map((c) => c.column).sort()).toEqual(Object.keys(record).sort());
    expect(Math.abs(e.base_value + e.contributions.reduce((s, c) => s + c.contribution, 0) - e.score)).toBeLessThan(1e-12);
    expect(e.rest).toBe(0);
    const magnitudes = e.contributions.map((c) => Math.abs(c.contribution));
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
    expect(e.contributions.find((c) => c.column === "Sex")?.value).toBe("male");
    // The same prediction as without explanations.
    expect(body.probability).toBe(fixture.model.predict(record).probability);
  });

  it("answers requests that arrive together (explained as one batch) as it answers each alone", async () => {
    const records = Array.from({ length: 12 }, (_, i) => ({ ...record, Age: 5 + 6 * i, Pclass: 1 + (i % 3), Sex: i % 2 ? "male" : "female" }));
    const paths = records.map((_, i) => (i % 3 === 0 ? "/predict?explain=2" : "/predict?explain=true"));
    const answers = await Promise.all(records.map(async (r, i) => (await (await post(paths[i] as string, r)).json()) as Explained));
    answers.forEach((body, i) => {
      const alone = fixture.model.explain(records[i] as Record<string, unknown>, i % 3 === 0 ? { top: 2 } : {});
      expect(body.probability).toBe(alone.probability);
      expect(body.explanation).toEqual(alone.explanation);
    });
  });

  it("explain=k keeps the k largest and accounts for the rest", async () => {
    const all = ((await (await post("/predict?explain=all", record)).json()) as Explained).explanation;
    const top = ((await (await post("/predict?explain=2", record)).json()) as Explained).explanation;
    expect(top.contributions).toEqual(all.contributions.slice(0, 2));
    expect(top.rest).toBeCloseTo(
      all.contributions.slice(2).reduce((s, c) => s + c.contribution, 0),
      12,
    );
  });

  it("a missing value is shown as null and still explained", async () => {
    const { Age: _, ...rest } = record;
    const e = ((await (await post("/predict?explain=true", rest)).json()) as Explained).explanation;
    expect(e.contributions.find((c) => c.column === "Age")).toMatchObject({ value: null, contribution: expect.any(Number) });
  });

  it("POST /predict/batch?explain=1 explains each record", async () => {
    const res = await post("/predict/batch?explain=1", { records: [record, { ...record, Sex: "female", Pclass: 1 }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: Explained[] };
    expect(body.predictions.map((p) => p.explanation.contributions.length)).toEqual([1, 1]);
    expect(body.predictions[1]?.explanation.score).toBeGreaterThan(body.predictions[0]?.explanation.score as number);
  });

  it("a batch too large to explain in about ten seconds is refused with a 413 that says how many fit", async () => {
    const nodes = fixture.model.state.forest.packedTrees().nodes.length;
    const most = Math.floor(EXPLAIN_NODE_BUDGET / nodes);
    const small = createApp({ model: fixture.model, bodyLimit: 10_000_000, maxBatch: most + 1 });
    const res = await small.request("/predict/batch?explain=1", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ records: Array(most + 1).fill(record) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toContain(`at most ${most} records per request`);
  });

  it("no explanation unless asked for; a wrong value is a 422 naming the parameter", async () => {
    expect(await (await post("/predict", record)).json()).not.toHaveProperty("explanation");
    expect(await (await post("/predict?explain=false", record)).json()).not.toHaveProperty("explanation");
    const res = await post("/predict?explain=lots", record);
    expect(res.status).toBe(422);
    const p = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(p.errors[0]?.path).toBe("explain");
  });

  it("the OpenAPI document describes the parameter and the Explanation", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<string, { post: { parameters?: { name: string; in: string }[] } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.paths["/predict"]?.post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "explain", in: "query" })]));
    expect(doc.paths["/predict/batch"]?.post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "explain", in: "query" })]));
    expect(Object.keys(doc.components.schemas.Explanation?.properties ?? {})).toEqual(["base_value", "score", "contributions", "rest"]);
  });
});
