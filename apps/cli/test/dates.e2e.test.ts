import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { createApp } from "@pipe/api";
import { parseCsv } from "@pipe/etl";
import { PipeModel } from "@pipe/model";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// A date column was a category to the model: every date rare, all pooled into one level, worth nothing
// (vega-datasets' flights: the departure time; weather.csv: the day of the year). It is now read as its day
// count, month, weekday and, when the dates have times, hour. Here the target follows the weekday and the
// hour: a model that cannot see them scores at chance.
const tmp = tempDir("pipe-dates-e2e-");
afterAll(tmp.cleanup);

const DAY = 86_400_000;
const lines = ["booked,amount,late"];
for (let i = 0; i < 3000; i++) {
  const at = new Date(Date.UTC(2021, 0, 1) + Math.floor(i / 3) * DAY + ((i * 7) % 24) * 3_600_000);
  const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
  const evening = at.getUTCHours() >= 18;
  const late = (weekend || evening) !== (i % 23 === 0);
  lines.push(`${at.toISOString().slice(0, 16).replace("T", " ")},${(i * 37) % 500},${late ? "yes" : "no"}`);
}
const input = join(tmp.dir, "bookings.csv");
writeFileSync(input, `${lines.join("\n")}\n`);
const out = join(tmp.dir, "out");
const run = pipe(["run", "--input", input, "--target", "late", "--out", out, "--trees", "40", "--no-png"]);
const model = () => PipeModel.parse(readFileSync(join(out, "model.json")), "model.json");

// Saturday noon, a Tuesday at 20:00, a Tuesday at 09:00; a date that does not exist; a blank.
const rows = ["2024-06-01 12:00,100", "2024-06-04 20:00,100", "2024-06-04 09:00,100", "2024-02-30 09:00,100", ",100"];

describe("a date feature", () => {
  it("is read as its day count, month, weekday and hour: the model sees the pattern", () => {
    expect(run.code).toBe(0);
    expect(model().featureNames).toEqual(["booked__days", "booked__month", "booked__weekday", "booked__hour", "amount"]);
    expect(JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")).roc_auc).toBeGreaterThan(0.9);
  });

  it("evaluate names each part's input column; the report's explanations table gives the date its largest part's permutation drop", () => {
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")) as {
      importance: { feature: string; column: string; permutation_mean: number }[];
    };
    const parts = metrics.importance.filter((i) => i.column === "booked");
    expect(parts.map((i) => i.feature).sort()).toEqual(["booked__days", "booked__hour", "booked__month", "booked__weekday"]);
    const top = parts.reduce((a, b) => (b.permutation_mean > a.permutation_mean ? b : a));
    const html = readFileSync(join(out, "report.html"), "utf8");
    const explanations = html.slice(html.indexOf('<section id="explanations">'));
    expect(explanations).toMatch(new RegExp(`<td>booked</td><td class="n">[0-9.]+</td><td class="n">[0-9.-]+ \\(${top.feature}\\)</td>`, "u"));
  });

  it("pipe predict: the same scores as the model's own record path, a date that does not exist an error of its row, a blank the parts' medians", () => {
    const file = join(tmp.dir, "new.csv");
    writeFileSync(file, `booked,amount\n${rows.join("\n")}\n`);
    expect(pipe(["predict", "--model", join(out, "model.json"), "--input", file, "--output", join(tmp.dir, "scored.csv")]).code).toBe(0);
    const [head, ...scored] = parseCsv(readFileSync(join(tmp.dir, "scored.csv"), "utf8"), { delimiter: "," }).map((r) => r.fields);
    const at = (name: string) => (head as string[]).indexOf(name);
    const m = model();
    [0, 1, 2].forEach((i) => {
      const [booked, amount] = (rows[i] as string).split(",");
      expect(Number(scored[i]?.[at("probability")])).toBe(m.predict({ booked, amount }).probability);
    });
    expect(Number(scored[0]?.[at("probability")])).toBeGreaterThan(0.5);
    expect(Number(scored[1]?.[at("probability")])).toBeGreaterThan(0.5);
    expect(Number(scored[2]?.[at("probability")])).toBeLessThan(0.5);
    expect(scored[3]?.[at("error")]).toBe('line 5: booked: "2024-02-30 09:00" is not a date (2024-12-31, or 2024-12-31 08:30)');
    expect(scored[4]?.[at("warnings")]).toContain("booked: missing, imputed with the training median of each part (days, month, weekday, hour)");
    expect(scored[0]?.[at("warnings")]).toBe("booked: 2024-06-01 12:00 is outside the training range [2021-01-01 00:00:00, 2023-09-27 17:00:00]");
  });

  it("a file to score whose dates cannot tell their order (days the 1st to the 12th) is read in the training file's order, in pipe predict and the API", async () => {
    // The bookings written day first (31/12/2021 08:00), as a European export writes them.
    const dayFirst = lines.map((l, i) => {
      if (i === 0) return l;
      const [when, ...rest] = l.split(",");
      const [date, time] = (when as string).split(" ");
      const [y, m, d] = (date as string).split("-");
      return [`${d}/${m}/${y} ${time}`, ...rest].join(",");
    });
    const european = join(tmp.dir, "bookings-eu.csv");
    writeFileSync(european, `${dayFirst.join("\n")}\n`);
    const eu = join(tmp.dir, "eu");
    const trained = pipe(["run", "--input", european, "--target", "late", "--out", eu, "--trees", "20", "--no-png", "--quiet"]);
    expect(trained.code, trained.stderr).toBe(0);
    // 5 October 2021 (a Tuesday) and 7 August 2021 (a Saturday), both readable either way.
    const ambiguous = join(tmp.dir, "ambiguous.csv");
    writeFileSync(ambiguous, "booked,amount\n05/10/2021 12:00,100\n07/08/2021 12:00,100\n");
    const iso = join(tmp.dir, "iso.csv");
    writeFileSync(iso, "booked,amount\n2021-10-05 12:00,100\n2021-08-07 12:00,100\n");
    const score = (file: string) => {
      const output = `${file}.scored.csv`;
      const r = pipe(["predict", "--model", join(eu, "model.json"), "--input", file, "--output", output]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(output, "utf8")
        .split("\n")
        .slice(1, 3)
        .map((l) => l.split(",").slice(2, 4).join(","));
    };
    expect(score(ambiguous)).toEqual(score(iso));

    // The API reads a record's dates as the training file wrote them too (it took ISO text only).
    const m = PipeModel.parse(readFileSync(join(eu, "model.json")), "model.json");
    const app = createApp({ model: m });
    const post = (booked: unknown) =>
      app.request("/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ booked, amount: 100 }) });
    const probability = async (booked: string) => {
      const res = await post(booked);
      expect(res.status, booked).toBe(200);
      return ((await res.json()) as { probability: number }).probability;
    };
    expect(await probability("05/10/2021 12:00")).toBe(await probability("2021-10-05 12:00"));
    expect(await probability("2021/10/05 12:00")).toBe(await probability("2021-10-05 12:00"));
    expect(await probability("Oct 5, 2021 12:00")).toBe(await probability("2021-10-05 12:00"));
    const info = (await (await app.request("/model")).json()) as { features: { name: string; date_order?: string }[] };
    expect(info.features.find((f) => f.name === "booked")?.date_order).toBe("day first");
    const refused = await post("31/02/2021");
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: { message: string }[] }).errors[0]?.message).toBe(
      'must be a date as text (2024-12-31, or 2024-12-31 08:30; or as the training file, 31/12/2024), got "31/02/2021"',
    );
  });

  it("pipe explain folds the parts into the date", () => {
    const file = join(tmp.dir, "few.csv");
    writeFileSync(file, `booked,amount\n${rows.slice(0, 3).join("\n")}\n`);
    expect(pipe(["explain", "--model", join(out, "model.json"), "--input", file, "--out", join(tmp.dir, "explained")]).code).toBe(0);
    const explained = JSON.parse(readFileSync(join(tmp.dir, "explained", "explanations.json"), "utf8")).rows as { contributions: { column: string }[] }[];
    expect(explained[0]?.contributions.map((c) => c.column).sort()).toEqual(["amount", "booked"]);
  });

  it("pipe export --sql duckdb: the query reads the dates' parts as pipe does (a blank or a date that does not exist: the parts' medians)", async () => {
    const sqlFile = join(tmp.dir, "model.sql");
    const small = join(tmp.dir, "small");
    // A smaller forest than the pipeline's, trained on its cleaned rows.
    cpSync(out, small, { recursive: true });
    const trained = pipe(["train", "--out", small, "--trees", "8", "--max-depth", "8", "--quiet"]);
    expect(trained.code, trained.stderr).toBe(0);
    const smallModel = join(small, "model.json");
    const exported = pipe(["export", "--sql", "duckdb", "--table", "fresh", "--model", smallModel, "--output", sqlFile, "--quiet"]);
    expect(exported.code, exported.stderr).toBe(0);
    const m = PipeModel.parse(readFileSync(smallModel), "model.json");
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      // The rows as a warehouse holds them: the dates typed TIMESTAMP, the blank NULL.
      await c.run(
        `CREATE TABLE fresh AS SELECT * FROM (VALUES ${rows
          .slice(0, 3)
          .map((r) => `(TIMESTAMP '${r.split(",")[0]}', ${r.split(",")[1]})`)
          .join(", ")}, (NULL, 100)) AS t(booked, amount)`,
      );
      const got = (await c.runAndReadAll(readFileSync(sqlFile, "utf8"))).getRowObjectsJson();
      expect(got).toHaveLength(4);
      [0, 1, 2].forEach((i) => {
        const [booked, amount] = (rows[i] as string).split(",");
        expect(Math.abs(Number(got[i]?.probability) - m.predict({ booked, amount }).probability)).toBeLessThan(1e-12);
      });
      expect(Math.abs(Number(got[3]?.probability) - m.predict({ booked: "", amount: 100 }).probability)).toBeLessThan(1e-12);
      expect(Object.keys(got[0] ?? {})).toEqual(["booked", "amount", "score", "probability", "prediction", "label"]);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  it("pipe train --in-engine reads the dates in DuckDB as pipe does: the same parts, and a forest that sees them", async () => {
    const warehouse = join(tmp.dir, "warehouse.duckdb");
    const db = await DuckDBInstance.create(warehouse);
    const c = await db.connect();
    await c.run(`CREATE TABLE bookings AS SELECT * FROM read_csv('${input}')`);
    // A timestamp with time zone reads as text with its zone in hours alone, as PostgreSQL writes it too.
    await c.run("CREATE TABLE bookings_tz AS SELECT CAST(booked AS TIMESTAMPTZ) AS booked, amount, late FROM bookings");
    const types = (
      await c.runAndReadAll("SELECT data_type FROM information_schema.columns WHERE table_name = 'bookings' AND column_name = 'booked'")
    ).getRows();
    c.closeSync();
    db.closeSync();
    expect(types).toEqual([["TIMESTAMP"]]);
    const zoned = join(tmp.dir, "zoned");
    const typed = pipe(["etl", "--input", `duckdb:${warehouse}?table=bookings_tz`, "--target", "late", "--out", zoned, "--quiet"]);
    expect(typed.code, typed.stderr).toBe(0);
    expect(readFileSync(join(zoned, "dataset_processed.csv"), "utf8").split("\n")[1]).toMatch(/^2021-01-01 00:00:00\+00,/);
    const zonedSchema = JSON.parse(readFileSync(join(zoned, "dataset_processed.schema.json"), "utf8")) as {
      columns: { name: string; type: string; role: string }[];
    };
    expect(zonedSchema.columns[0]).toMatchObject({ name: "booked", type: "date", role: "feature" });
    const engineOut = join(tmp.dir, "engine");
    const cleaned = pipe([
      "etl",
      "--input",
      `duckdb:${warehouse}?table=bookings`,
      "--target",
      "late",
      "--output-table",
      "bookings_clean",
      "--out",
      engineOut,
      "--quiet",
    ]);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    const r = pipe([
      "train",
      "--in-engine",
      "--input",
      `duckdb:${warehouse}?table=bookings`,
      "--output-table",
      "bookings_clean",
      "--out",
      engineOut,
      "--trees",
      "40",
      "--json",
      "--quiet",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).in_engine.roc_auc).toBeGreaterThan(0.9);
    const trained = PipeModel.parse(readFileSync(join(engineOut, "model.json")), "model.json");
    expect(trained.featureNames).toEqual(["booked__days", "booked__month", "booked__weekday", "booked__hour", "amount"]);
    // The training rows' range (the engine holds a hash-chosen 30% out), with their times.
    const booked = trained.state.preprocessing.specs[0] as { kind: string; earliest: string; latest: string };
    expect(booked.kind).toBe("date");
    expect(booked.earliest).toMatch(/^2021-01-0[1-3] \d{2}:\d{2}:00$/);
    expect(booked.latest).toMatch(/^2023-09-2[5-7] \d{2}:\d{2}:00$/);
  });

  it("the API: a date as text is scored, one that does not exist or a number is a 422 naming the field (never a 500)", async () => {
    const m = model();
    const app = createApp({ model: m });
    const post = (body: unknown) => app.request("/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const ok = await post({ booked: "2024-06-01 12:00", amount: 100 });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { probability: number }).probability).toBe(m.predict({ booked: "2024-06-01 12:00", amount: 100 }).probability);
    // A year-last date the value alone cannot order is refused by a model whose training dates were ISO; one that shows its order, a year-first or a month-name date is read.
    for (const local of ["01/06/2024 12:00", "2024/06/01 12:00", "Jun 1, 2024 12:00", "1-Jun-2024 12:00"]) {
      const res = await post({ booked: local, amount: 100 });
      expect(res.status, local).toBe(local.startsWith("01/06") ? 422 : 200);
      if (res.status === 200)
        expect(((await res.json()) as { probability: number }).probability).toBe(m.predict({ booked: "2024-06-01 12:00", amount: 100 }).probability);
    }
    expect((await post({ booked: "13/06/2024 12:00", amount: 100 })).status).toBe(200);
    for (const [booked, got] of [
      ["2024-02-30", '"2024-02-30"'],
      [20240601, "number"],
      ["next friday", '"next friday"'],
    ] as const) {
      const res = await post({ booked, amount: 100 });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { errors: unknown[] }).errors[0]).toEqual({
        path: "booked",
        message: `must be a date as text (2024-12-31, or 2024-12-31 08:30), got ${got}`,
      });
    }
    const batch = await app.request("/predict/batch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ records: [{ booked: "2024-06-04 20:00" }, { booked: "2024-13-01" }] }),
    });
    expect(batch.status).toBe(422);
    const info = (await (await app.request("/model")).json()) as { features: { name: string; format?: string; earliest?: string }[] };
    expect(info.features[0]).toMatchObject({ name: "booked", type: "string", format: "date", earliest: "2021-01-01 00:00:00" });
  });
});
