import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSource, parseCsv, readProcessed, runEtl } from "@pipe/etl";
import { PipeModel, trainModel } from "@pipe/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { createApp } from "./app.js";

// Raw records, as the original design posts them: every column of the training file but the target
// (or with it). The columns the ETL dropped are accepted and ignored with a warning; a field the
// training file never had, a record without a used field, or a value of the wrong kind is a 422.
const tmp = tempDir("pipe-raw-");
afterAll(tmp.cleanup);

async function modelOf(input: string, target: string, options: Record<string, unknown> = {}) {
  const out = { processed: join(tmp.dir, `${target}.csv`), rejected: join(tmp.dir, `${target}-r.csv`) };
  const { schema, report } = await runEtl(openSource(input), { target, ...options }, out);
  const table = await readProcessed(out.processed, schema);
  const { model } = await trainModel(table, table.featureKinds, table.y, {
    target,
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: 0.3,
    seed: 42,
    dataSha256: "test",
    forest: { nEstimators: 20 },
    ignoredFields: report.dropped_columns,
  });
  // Through the file, as the service loads it.
  return PipeModel.parse(model.serialize());
}

let telco: PipeModel;
let firstRow: Record<string, string>;
beforeAll(async () => {
  telco = await modelOf(DATASETS.telco, "Churn", { positive: "Yes" });
  const [header, row] = parseCsv(readFileSync(DATASETS.telco, "utf8").split("\n").slice(0, 2).join("\n"), { delimiter: "," }).map((r) => r.fields) as [
    string[],
    string[],
  ];
  firstRow = Object.fromEntries(header.map((h, i) => [h, row[i] as string]));
});

const post = (app: ReturnType<typeof createApp>, path: string, body: unknown) =>
  app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("POST /predict with the training file's own rows", () => {
  it("accepts the bundled dataset's first row without its target; the dropped identifier is ignored, by name", async () => {
    const { Churn: _, ...record } = firstRow;
    const res = await post(createApp({ model: telco }), "/predict", record);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { warnings: string[]; probability: number };
    expect(body.warnings[0]).toMatch(/^ignored \(not used by the model\): customerID \(identifier-like/);
    expect(body.probability).toBe(telco.predict(record).probability);
  });

  it("accepts it with the target too, ignored and named", async () => {
    const body = (await (await post(createApp({ model: telco }), "/predict", firstRow)).json()) as { warnings: string[] };
    expect(body.warnings[0]).toMatch(/customerID .*Churn \(the target\)/);
  });

  it("a Yes/No field takes a JSON boolean or true/false (a warehouse's BOOLEAN): the same probability as Yes/No, no warning", async () => {
    const { Churn: _, customerID: __, ...record } = firstRow;
    const words = { ...record, Partner: "Yes", PhoneService: "No" };
    const booleans = { ...record, Partner: true, PhoneService: false };
    const texts = { ...record, Partner: "true", PhoneService: "false" };
    const want = telco.predict(words).probability;
    for (const body of [booleans, texts]) {
      const res = await post(createApp({ model: telco }), "/predict", body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      const got = (await res.json()) as { warnings: string[]; probability: number };
      expect(got.probability).toBe(want);
      expect(got.warnings).toEqual([]);
    }
  });

  it("the same in a batch, each record with its own warnings", async () => {
    const res = await post(createApp({ model: telco }), "/predict/batch", { records: [firstRow, { tenure: 3 }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: { warnings: string[] }[] };
    expect(body.predictions[0]?.warnings[0]).toMatch(/^ignored/);
    expect(body.predictions[1]?.warnings.some((w) => w.startsWith("ignored"))).toBe(false);
  });
});

describe("records that cannot be scored are a 422 naming the field", () => {
  const app = () => createApp({ model: telco });
  const errorsOf = async (res: Response) => ((await res.json()) as { errors: { path: string; message: string }[] }).errors;

  it("a record with no field the model uses", async () => {
    for (const body of [{}, { customerID: "7590-VHVEG" }, { tenure: null, Contract: "" }]) {
      const res = await post(app(), "/predict", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await errorsOf(res))[0]?.message).toMatch(/none of the model's fields/);
    }
  });

  it("a number for a category of words, an object for a number", async () => {
    const res = await post(app(), "/predict", { Contract: 5, tenure: { months: 3 } });
    expect(res.status).toBe(422);
    const errors = await errorsOf(res);
    expect(errors.map((e) => e.path).sort()).toEqual(["Contract", "tenure"]);
    expect(errors.find((e) => e.path === "Contract")?.message).toMatch(/must be a string \(one of the categories seen in training: .*Month-to-month/);
  });

  it("a numeric field given as text that is not a number; numeric text itself is accepted", async () => {
    expect((await post(app(), "/predict", { tenure: "twelve" })).status).toBe(422);
    const ok = await post(app(), "/predict", { tenure: "12", MonthlyCharges: " 70.7 " });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { probability: number }).probability).toBe(telco.predict({ tenure: 12, MonthlyCharges: 70.7 }).probability);
  });

  it("a field the training file never had — or ignored with a warning when the service is told to", async () => {
    const strict = await post(app(), "/predict", { tenure: 3, favourite_colour: "blue" });
    expect(strict.status).toBe(422);
    expect((await errorsOf(strict))[0]).toMatchObject({ path: "favourite_colour", message: expect.stringMatching(/^unknown field/) });
    const lenient = await post(createApp({ model: telco, unknownFields: "ignore" }), "/predict", { tenure: 3, favourite_colour: "blue" });
    expect(lenient.status).toBe(200);
    expect(((await lenient.json()) as { warnings: string[] }).warnings).toContain("ignored unknown fields: favourite_colour");
  });

  it("a field that spells one of the model's otherwise is named with the model's spelling (not guessed at)", async () => {
    const strict = await post(app(), "/predict", { tenure: 3, monthly_charges: 70 });
    expect(strict.status).toBe(422);
    expect((await errorsOf(strict))[0]).toMatchObject({
      path: "monthly_charges",
      message: expect.stringMatching(
        /^unknown field: the training data had no such column; did you mean "MonthlyCharges"\? \(fields are matched as written\); the model uses /,
      ),
    });
    const lenient = await post(createApp({ model: telco, unknownFields: "ignore" }), "/predict", { tenure: 3, monthlycharges: 70 });
    expect(((await lenient.json()) as { warnings: string[] }).warnings).toContain('ignored unknown fields: monthlycharges (did you mean "MonthlyCharges"?)');
  });
});

describe("numeric-looking categories", () => {
  it('match a JSON number by its value and a string by its text: 2, 2.0 and "2" are the same grade', async () => {
    const lines = ["grade,score,y"];
    for (let i = 0; i < 300; i++) lines.push(`${1 + (i % 3)},${(i * 37) % 101},${(i % 3) + ((i * 7) % 5) > 3 ? 1 : 0}`);
    const path = join(tmp.dir, "grades.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const model = await modelOf(path, "y", { rules: { grade: { type: "category" } } });
    const grade = model.featureSchema.find((f) => f.name === "grade");
    expect(grade).toMatchObject({ type: "string", numeric_levels: true });
    const app = createApp({ model });
    const answers = [];
    for (const value of [2, 2.0, "2"]) {
      const res = await post(app, "/predict", { grade: value, score: 50 });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { probability: number; warnings: string[] };
      expect(body.warnings).toEqual([]);
      answers.push(body.probability);
    }
    expect(new Set(answers).size).toBe(1);
    expect((await post(app, "/predict", { grade: true, score: 50 })).status).toBe(422);
  });
});

describe("GET /model and the OpenAPI schema say which fields are used, ignored and required", () => {
  it("GET /model", async () => {
    const body = (await (await createApp({ model: telco }).request("/model")).json()) as {
      fields: { used: string[]; ignored: { name: string; reason: string }[]; unknown: string; required: string };
    };
    expect(body.fields.used).toContain("tenure");
    expect(body.fields.ignored.map((f) => f.name)).toEqual(["customerID", "Churn"]);
    expect(body.fields.unknown).toBe("rejected (422)");
    expect(body.fields.required).toMatch(/at least one used field/);
  });

  it("/openapi.json: used fields typed, ignored fields accepted, nothing else", async () => {
    const doc = (await (await createApp({ model: telco }).request("/openapi.json")).json()) as {
      components: { schemas: { Record: { properties: Record<string, { description: string }>; additionalProperties: boolean; description: string } } };
    };
    const record = doc.components.schemas.Record;
    expect(record.properties.tenure?.description).toMatch(/^Used/);
    expect(record.properties.customerID?.description).toMatch(/^Ignored: identifier-like/);
    expect(record.properties.Churn?.description).toMatch(/^Ignored: the target/);
    expect(record.additionalProperties).toBe(false);
    expect(record.description).toMatch(/at least one used field/);
  });
});
