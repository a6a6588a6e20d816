import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "@pipe/api";
import { parseCsv } from "@pipe/etl";
import { PipeModel } from "@pipe/model";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// The ETL's rules clean the training rows; rows scored later must be cleaned the same way, or a model
// meets inputs it never saw: Pima's glucose of 0 is "not measured" (zeroMeansMissing) — missing in
// training, imputed with the median — yet a 0 in a file to score was read as a glucose of 0, below every
// training value (probability 0.15 against 0.73 for the same row with the cell blank, before this).
const tmp = tempDir("pipe-clean-inputs-e2e-");
afterAll(tmp.cleanup);

const header = "glucose,city,plan,visits,age,label";
function row(i: number): string {
  const sick = i % 3 === 0;
  const glucose = i % 11 === 0 ? "0" : String((sick ? 150 : 95) + ((i * 37) % 40));
  const city = ["Paris", "PARIS", " lyon", "Lyon", "nice"][i % 5] as string;
  const plan = ["gold", "premium", "basic"][i % 3] as string;
  const visits = i % 4 === 0 ? "" : String(i % 6);
  const age = String(20 + ((i * 13) % 60));
  return [glucose, city, plan, visits, age, sick ? "yes" : "no"].join(",");
}
const input = join(tmp.dir, "patients.csv");
writeFileSync(input, `${header}\n${Array.from({ length: 600 }, (_, i) => row(i)).join("\n")}\n`);
const out = join(tmp.dir, "out");
const rules = {
  glucose: { zeroMeansMissing: true },
  city: { case: "lower" },
  plan: { recode: { gold: "premium" }, otherwise: "standard" },
  visits: { fill: "0" },
  age: { discretize: { method: "width", bins: 3 } },
};
// What GET /model says cleans each field: the normalising rules (the bins are said apart, as `bins`).
const { age: _binned, ...cleaningRules } = rules;
const trained = pipe(["run", "--input", input, "--target", "label", "--out", out, "--trees", "30", "--no-png", "--set", `etl.rules=${JSON.stringify(rules)}`]);

// Pairs of rows the training's cleaning makes equal: a 0 glucose and a blank, a city in capitals and in
// lower case, a plan recoded and its target, a blank visit count and 0.
const pairs = [
  ["0,paris,basic,2,34", ",paris,basic,2,34"],
  ["120,PARIS,basic,2,34", "120,paris,basic,2,34"],
  ["160,lyon,gold,1,34", "160,lyon,premium,1,34"],
  ["101,nice,basic,,34", "101,nice,basic,0,34"],
];
const scored = join(tmp.dir, "new.csv");
writeFileSync(scored, `glucose,city,plan,visits,age\n${pairs.flat().join("\n")}\n`);

/** A row with a word in the numeric glucose column, for the model trained without onTypeMismatch "missing". */
function strictWordsFile(): string {
  const file = join(tmp.dir, "strict.csv");
  writeFileSync(file, "glucose,city,plan,visits,age\nhigh,paris,basic,2,34\n");
  return file;
}

describe("rows scored after training are cleaned as the training rows were", () => {
  it("pipe predict: each pair scores the same, without an unseen-category or out-of-range warning for what the rules clean", () => {
    expect(trained.code).toBe(0);
    const run = pipe(["predict", "--model", join(out, "model.json"), "--input", scored, "--output", join(tmp.dir, "scored.csv")]);
    expect(run.code).toBe(0);
    const [head, ...rows] = parseCsv(readFileSync(join(tmp.dir, "scored.csv"), "utf8"), { delimiter: "," }).map((r) => r.fields);
    const p = (head as string[]).indexOf("probability");
    const w = (head as string[]).indexOf("warnings");
    for (let k = 0; k < pairs.length; k++) expect(rows[2 * k]?.[p], pairs[k]?.join(" vs ")).toBe(rows[2 * k + 1]?.[p]);
    expect(rows[0]?.[w]).toBe("glucose: missing, imputed with the training median " + String(rows[1]?.[w]).split("median ")[1]);
    for (const r of rows) expect(r[w]).not.toMatch(/not seen in training|outside the training range|visits: missing/u);
  });

  it("a number the ETL cut into bins is binned as in training, in pipe predict and the API (it was an unseen category)", async () => {
    const schema = JSON.parse(readFileSync(join(out, "dataset_processed.schema.json"), "utf8")) as { columns: { name: string; bins?: number[] }[] };
    const edges = schema.columns.find((c) => c.name === "age")?.bins as number[];
    expect(edges).toHaveLength(4);
    const model = PipeModel.parse(readFileSync(join(out, "model.json")), "model.json");
    const label = model.state.featureBins?.age?.labels[0] as string;
    // The number and its bin's label, as the processed file writes it, score alike; no unseen-category warning.
    const file = join(tmp.dir, "ages.csv");
    writeFileSync(file, `glucose,city,plan,visits,age\n120,paris,basic,2,${edges[0]}\n120,paris,basic,2,"${label}"\n120,paris,basic,2,${edges[1]}\n`);
    const run = pipe(["predict", "--model", join(out, "model.json"), "--input", file, "--output", join(tmp.dir, "ages-scored.csv")]);
    expect(run.code, run.stderr).toBe(0);
    const [head, ...rows] = parseCsv(readFileSync(join(tmp.dir, "ages-scored.csv"), "utf8"), { delimiter: "," }).map((r) => r.fields);
    const p = (head as string[]).indexOf("probability");
    const w = (head as string[]).indexOf("warnings");
    expect(rows[0]?.[p]).toBe(rows[1]?.[p]);
    for (const r of rows) expect(r[w]).not.toMatch(/age/u);
    const app = createApp({ model });
    const info = (await (await app.request("/model")).json()) as { features: { name: string; type: string; bins?: unknown }[] };
    expect(info.features.find((f) => f.name === "age")).toMatchObject({ type: "number", bins: { edges, labels: model.state.featureBins?.age?.labels } });
    const answer = async (age: unknown) =>
      (await (
        await app.request("/predict", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ glucose: 120, city: "paris", plan: "basic", visits: 2, age }),
        })
      ).json()) as { probability: number; warnings: string[] };
    const [asNumber, asText] = [await answer(edges[0]), await answer(String(edges[0]))];
    expect(asNumber.probability).toBe(Number(rows[0]?.[p]));
    expect(asText.probability).toBe(asNumber.probability);
    expect(asNumber.warnings.join("; ")).not.toMatch(/age/u);
  });

  it('etl.onTypeMismatch "missing": a word among numbers is missing when scored, as in training (it was an error in its row)', async () => {
    const lines = ["glucose,city,label"];
    for (let i = 0; i < 300; i++) {
      const sick = i % 3 === 0;
      const glucose = i % 50 === 7 ? "high" : String((sick ? 150 : 95) + ((i * 37) % 40));
      lines.push(`${glucose},${["paris", "lyon", "nice"][i % 3 === 0 ? i % 2 : 2]},${sick ? "yes" : "no"}`);
    }
    const file = join(tmp.dir, "words.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const words = join(tmp.dir, "words-out");
    const run = pipe(["run", "--input", file, "--target", "label", "--out", words, "--trees", "20", "--no-png", "--set", 'etl.onTypeMismatch="missing"']);
    expect(run.code, run.stderr).toBe(0);
    const rows = join(tmp.dir, "words-new.csv");
    writeFileSync(rows, "glucose,city\nhigh,paris\n,paris\n");
    const scored = pipe(["predict", "--model", join(words, "model.json"), "--input", rows, "--output", join(tmp.dir, "words-scored.csv")]);
    expect(scored.code, scored.stderr).toBe(0);
    const [head, ...got] = parseCsv(readFileSync(join(tmp.dir, "words-scored.csv"), "utf8"), { delimiter: "," }).map((r) => r.fields);
    const at = (name: string) => (head as string[]).indexOf(name);
    // The word scores as the blank does (missing, imputed), not as an error of its row.
    expect(got[0]?.[at("error")] ?? "").toBe("");
    expect(got[0]?.[at("probability")]).toBe(got[1]?.[at("probability")]);
    expect(got[0]?.[at("warnings")]).toMatch(/glucose: missing, imputed/u);
    // Without the setting, a word is still an error of its row (the training run rejected such rows).
    const strict = pipe(["predict", "--model", join(out, "model.json"), "--input", strictWordsFile(), "--output", join(tmp.dir, "strict-scored.csv")]);
    expect(strict.code).toBe(0);
    const [strictHead, strictRow] = parseCsv(readFileSync(join(tmp.dir, "strict-scored.csv"), "utf8"), { delimiter: "," }).map((r) => r.fields);
    expect(strictRow?.[(strictHead as string[]).indexOf("error")]).toBe('line 2: glucose: "high" is not a number');

    // The API reads the word as missing too (it refused it with a 422), and says so in GET /model.
    const app = createApp({ model: PipeModel.parse(readFileSync(join(words, "model.json")), "model.json") });
    const post = async (path: string, body: unknown) =>
      app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const word = await post("/predict", { glucose: "high", city: "paris" });
    expect(word.status).toBe(200);
    const [asWord, asBlank] = [
      (await word.json()) as { probability: number; warnings: string[] },
      (await (await post("/predict", { glucose: "", city: "paris" })).json()) as { probability: number },
    ];
    expect(asWord.probability).toBe(asBlank.probability);
    expect(asWord.probability).toBe(Number(got[0]?.[at("probability")]));
    expect(asWord.warnings.join("; ")).toMatch(/glucose: missing, imputed/u);
    const batch = (await (
      await post("/predict/batch?explain=true", {
        records: [
          { glucose: "high", city: "paris" },
          { glucose: 120, city: "nice" },
        ],
      })
    ).json()) as {
      predictions: { probability: number }[];
    };
    expect(batch.predictions[0]?.probability).toBe(asWord.probability);
    const info = (await (await app.request("/model")).json()) as { features: { name: string; unreadable?: string }[] };
    expect(info.features.find((f) => f.name === "glucose")?.unreadable).toBe("missing");
    const strictApp = createApp({ model: PipeModel.parse(readFileSync(join(out, "model.json")), "model.json") });
    const refused = await strictApp.request("/predict", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ glucose: "high" }),
    });
    expect(refused.status).toBe(422);
  });

  it("the training run's missing tokens hold when scored elsewhere (-1 for 'not measured'), in files and in the API", async () => {
    const lines = ["age,income,label"];
    for (let i = 0; i < 300; i++) {
      const sick = i % 3 === 0;
      lines.push(`${i % 7 === 0 ? -1 : 20 + ((i * 37) % 50) + (sick ? 15 : 0)},${1000 + ((i * 53) % 4000)},${sick ? "yes" : "no"}`);
    }
    const file = join(tmp.dir, "minus-one.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const trained = join(tmp.dir, "minus-one-out");
    const run = pipe([
      "run",
      "--input",
      file,
      "--target",
      "label",
      "--out",
      trained,
      "--trees",
      "20",
      "--no-png",
      "--quiet",
      "--set",
      'etl.missingTokens=["", "-1"]',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const rows = join(tmp.dir, "minus-one-new.csv");
    writeFileSync(rows, "age,income\n-1,3000\n,3000\n");
    const score = (extra: string[]) => {
      const output = join(tmp.dir, `minus-one-scored-${extra.length}.csv`);
      const r = pipe(["predict", "--model", join(trained, "model.json"), "--input", rows, "--output", output, "--quiet", ...extra]);
      expect(r.code, r.stderr).toBe(0);
      const [head, ...body] = parseCsv(readFileSync(output, "utf8"), { delimiter: "," }).map((x) => x.fields);
      return body.map((x) => [x[(head as string[]).indexOf("probability")], x[(head as string[]).indexOf("warnings")]]);
    };
    const [minusOne, blank] = score([]);
    expect(minusOne).toEqual(blank);
    expect(minusOne?.[1]).toMatch(/^age: missing, imputed/u);
    // A scoring run's own tokens read the file's words its way; the model's number tokens still hold
    // (the model never saw -1 as an age).
    const [own] = score(["--set", 'etl.missingTokens=[""]']);
    expect(own).toEqual(minusOne);
    // The API: a record's -1 (a JSON number, or its text) is missing too.
    const app = createApp({ model: PipeModel.parse(readFileSync(join(trained, "model.json")), "model.json") });
    const probability = async (record: Record<string, unknown>) =>
      (
        (await (await app.request("/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(record) })).json()) as {
          probability: number;
        }
      ).probability;
    const absent = await probability({ income: 3000 });
    expect(await probability({ age: -1, income: 3000 })).toBe(absent);
    expect(await probability({ age: "-1", income: 3000 })).toBe(absent);
    expect(await probability({ age: 40, income: 3000 })).not.toBe(absent);
  });

  it("the ETL's own processed rows score as they are: cleaning a cleaned cell changes nothing", () => {
    // `otherwise` leaves a value the map yields ("premium") as it is; the fill, the case and the zeros are
    // already settled. Before, every processed "premium" was read again as "standard".
    const text = readFileSync(join(out, "dataset_processed.csv"), "utf8");
    const [head, ...rows] = parseCsv(text, { delimiter: "," }).map((r) => r.fields);
    const records = rows.map((r) => Object.fromEntries((head as string[]).map((name, j) => [name, r[j] as string])));
    expect(new Set(records.map((r) => r.plan))).toEqual(new Set(["premium", "standard"]));
    const asProcessed = PipeModel.parse(readFileSync(join(out, "model.json")), "model.json");
    const cleaning = PipeModel.parse(readFileSync(join(out, "model.json")), "model.json");
    expect(cleaning.cleanInputsAsTrained()).toEqual(["glucose", "city", "plan", "visits", "age"]);
    const want = asProcessed.predictBatch(records).map((p) => p.probability);
    expect(cleaning.predictBatch(records).map((p) => p.probability)).toEqual(want);
  });

  it("pipe explain and pipe drift read the cells cleaned too", () => {
    const explained = pipe(["explain", "--model", join(out, "model.json"), "--input", scored, "--out", join(tmp.dir, "explained")]);
    expect(explained.code).toBe(0);
    const rows = JSON.parse(readFileSync(join(tmp.dir, "explained", "explanations.json"), "utf8")).rows as { probability: number }[];
    for (let k = 0; k < pairs.length; k++) expect(rows[2 * k]?.probability).toBe(rows[2 * k + 1]?.probability);
    // Drift of the training file's own rows against the model's training data: the zeros read as missing, so no glucose drift.
    const drifted = pipe(["drift", "--model", join(out, "model.json"), "--input", input, "--out", join(tmp.dir, "drift")]);
    expect(drifted.code).toBe(0);
    const report = JSON.parse(readFileSync(join(tmp.dir, "drift", "drift.json"), "utf8"));
    const glucose = report.columns.find((c: { column: string }) => c.column === "glucose");
    expect(glucose.drifted).toBe(false);
  });

  it("pipe export says its SQL does not clean, and what to run it over", () => {
    const run = pipe(["export", "--sql", "duckdb", "--table", "patients", "--model", join(out, "model.json"), "--output", join(tmp.dir, "model.sql")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "warning: export: the model's training rows had glucose, city, plan, visits, age cleaned by etl.rules (missing tokens, zero as missing, recode, case, fill or discretize), which this SQL does not do: run it over rows cleaned the same way (the table `pipe etl --output-table` writes), or score raw rows with `pipe predict`, which cleans them",
    );
  });

  it("the API: a record gets the same answer as its cleaned twin", async () => {
    const model = PipeModel.parse(readFileSync(join(out, "model.json")), "model.json");
    const app = createApp({ model });
    const answer = async (record: Record<string, unknown>) =>
      (await (await app.request("/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(record) })).json()) as {
        probability: number;
        warnings: string[];
      };
    const twins: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { glucose: 0, city: "paris", plan: "basic", visits: 2 },
        { city: "paris", plan: "basic", visits: 2 },
      ],
      [
        { glucose: 120, city: "PARIS", plan: "basic", visits: 2 },
        { glucose: 120, city: "paris", plan: "basic", visits: 2 },
      ],
      [
        { glucose: 160, city: "lyon", plan: "gold", visits: 1 },
        { glucose: 160, city: "lyon", plan: "premium", visits: 1 },
      ],
      [
        { glucose: 101, city: "nice", plan: "basic" },
        { glucose: 101, city: "nice", plan: "basic", visits: 0 },
      ],
    ];
    // GET /model says which rules clean each field.
    const info = (await (await app.request("/model")).json()) as { features: { name: string; cleaning?: unknown }[] };
    expect(Object.fromEntries(info.features.filter((f) => f.cleaning).map((f) => [f.name, f.cleaning]))).toEqual(cleaningRules);
    for (const [a, b] of twins) {
      const [x, y] = [await answer(a), await answer(b)];
      expect(x.probability, JSON.stringify(a)).toBe(y.probability);
      expect(x.warnings.join("; ")).not.toMatch(/not seen in training|outside the training range/u);
    }
  });
});
