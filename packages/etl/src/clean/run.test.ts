import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ADULT_COLUMNS, DATASETS, PIMA_COLUMNS, tempDir } from "../../../../test-support/index.js";
import { ConfigMismatchError, EtlError, SchemaError } from "../errors.js";
import { openSource } from "../extract/source.js";
import { inferSchema } from "../schema/infer-schema.js";
import { clean } from "./clean.js";
import { etlRunner, expectReplayAsReread } from "./etl-runner.test-util.js";

const tmp = tempDir();
afterAll(tmp.cleanup);
const etl = etlRunner(tmp.dir);
let inlined = 0;
function inline(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

describe("runEtl on the published datasets", () => {
  it("Titanic: keeps every row (the original dropna kept 20%), drops id, name, ticket and the mostly empty Cabin", async () => {
    const r = await etl(DATASETS.titanic, { target: "Survived" });
    expect(r.report.rows_in).toBe(891);
    expect(r.report.rows_out).toBeGreaterThanOrEqual(0.95 * 891);
    const dropped = Object.fromEntries(r.report.dropped_columns.map((d) => [d.name, d.reason]));
    expect(dropped.PassengerId).toMatch(/identifier/);
    expect(dropped.Name).toMatch(/identifier/);
    expect(dropped.Cabin).toMatch(/mostly empty \(77\.1% missing\)/);
    expect(dropped.Ticket).toMatch(/free text/);
    const age = r.schema.columns.find((c) => c.name === "Age");
    expect(age).toMatchObject({ type: "float", missing: 177, role: "feature" });
    expect(r.schema.positiveClass).toBe("1");
    expect(r.processed[0]).toEqual(["Survived", "Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"]);
    // A quoted name with a comma did not shift any column.
    expect(r.processed.slice(1).every((row) => row.length === 8 && ["male", "female"].includes(row[2] as string))).toBe(true);
  });

  it("Telco: TotalCharges' 11 blank cells are missing numbers, never 0; customerID is dropped", async () => {
    const r = await etl(DATASETS.telco, { target: "Churn", positive: "Yes" });
    const total = r.schema.columns.find((c) => c.name === "TotalCharges");
    expect(total).toMatchObject({ type: "float", missing: 11 });
    expect(total?.min).toBeGreaterThan(0);
    expect(r.report.dropped_columns.map((d) => d.name)).toEqual(["customerID"]);
    expect(r.report.class_counts).toEqual({ No: 5174, Yes: 1869 });
    const idx = (r.processed[0] as string[]).indexOf("TotalCharges");
    expect(r.processed.slice(1).filter((row) => row[idx] === "").length).toBe(11);
    expect(r.processed.slice(1).some((row) => row[idx] === "0")).toBe(false);
  });

  it("Adult: no header, ', ' separators, '?' as missing, 24 duplicates rejected with the line of the first copy", async () => {
    const r = await etl(DATASETS.adult, { target: "income", columns: ADULT_COLUMNS });
    expect(r.report.has_header).toBe(false);
    expect(r.report.rows_in).toBe(32561);
    expect(r.report.rejected_by_rule).toEqual({ duplicate_row: 24 });
    expect(r.report.rows_out + r.report.rows_rejected).toBe(r.report.rows_in);
    expect(r.schema.columns.find((c) => c.name === "workclass")?.missing).toBe(1836);
    expect(r.report.cells.missing_token).toBe(4262);
    expect(r.schema.positiveClass).toBe(">50K");
    expect(r.rejected[0]?.slice(0, 4)).toEqual(["source_line", "rule", "column", "detail"]);
    expect(r.rejected.length).toBe(25);
    expect(r.rejected[1]?.[1]).toBe("duplicate_row");
    expect(r.rejected[1]?.[3]).toMatch(/^same values as line \d+$/);
  });

  it("Pima: zeros read as missing where the config says so", async () => {
    const rules = Object.fromEntries(["glucose", "blood_pressure", "skin_thickness", "insulin", "bmi"].map((c) => [c, { zeroMeansMissing: true }]));
    const r = await etl(DATASETS.pima, { target: "outcome", columns: PIMA_COLUMNS, rules, maxMissingShare: 0.6 });
    const missing = Object.fromEntries(r.schema.columns.map((c) => [c.name, c.missing]));
    expect(missing).toMatchObject({ glucose: 5, blood_pressure: 35, skin_thickness: 227, insulin: 374, bmi: 11, pregnancies: 0 });
    expect(r.report.cells.zero_as_missing).toBe(5 + 35 + 227 + 374 + 11);
  });

  it("Heart: integer-coded categories stay numbers; the duplicate row is rejected", async () => {
    const r = await etl(DATASETS.heart, { target: "target" });
    expect(r.report.rejected_by_rule).toEqual({ duplicate_row: 1 });
    expect(r.schema.columns.find((c) => c.name === "cp")?.type).toBe("integer");
  });
});

describe("cleaning rules", () => {
  const csv = [
    "id,when,score,grade,label",
    "1,2020-01-05,10,A,yes",
    "2,2020-02-01,abc,B,no",
    "3,2019-12-31,5,C,yes",
    "4,2020-03-01,250,A,no",
    "5,2020-01-09,7,a,",
    "6,2020-01-10,8,Z,yes",
    "7,2020-01-11,, A ,no",
    "8,2020-01-12,9,B,no",
    "9,2020-01-13,3, c ,yes",
  ].join("\n");

  it("counts every rule and loses no row", async () => {
    const path = inline("rules.csv", `${csv}\n`);
    const r = await etl(path, {
      target: "label",
      dropIdentifiers: false,
      rules: {
        score: { type: "integer", max: 100, required: true },
        grade: { case: "upper", allowed: ["A", "B", "C"] },
        when: { minDate: "2020-01-01" },
      },
    });
    expect(r.report.rejected_by_rule).toEqual({
      type_mismatch: 1,
      date_out_of_range: 1,
      out_of_range: 1,
      missing_target: 1,
      not_allowed_value: 1,
      required_missing: 1,
    });
    expect(r.report.rows_out).toBe(3);
    expect(r.report.rows_in).toBe(r.report.rows_out + r.report.rows_rejected);
    const byLine = Object.fromEntries(r.rejected.slice(1).map((row) => [row[0], row.slice(1, 4)]));
    expect(byLine["3"]).toEqual(["type_mismatch", "score", '"abc" is not a number']);
    expect(byLine["5"]).toEqual(["out_of_range", "score", "250 > max 100"]);
    expect(byLine["7"]?.[0]).toBe("not_allowed_value");
    expect(r.report.cells.case_normalised).toBeGreaterThan(0);
  });

  it("recodes values and reads a stray word as missing when asked", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${i % 3 ? "Yes" : "No"},${i % 2 ? "a" : "b"}`);
    rows[1] = "1,No internet service,a";
    rows[2] = "three,No,b";
    const path = inline("recode.csv", `x,svc,y\n${rows.join("\n")}\n`);
    const r = await etl(path, {
      target: "y",
      onTypeMismatch: "missing",
      maxMissingShare: 0.9,
      dropConstant: false,
      rules: { svc: { recode: { "No internet service": "No" } } },
    });
    expect(r.report.rows_out).toBe(30);
    expect(r.schema.columns[0]).toMatchObject({ name: "x", type: "integer", missing: 1 });
    expect(r.report.cells.type_mismatch_as_missing).toBe(1);
    expect(r.report.cells.recoded).toBe(1);
    expect(r.processed.slice(1, 4).map((row) => row.slice(0, 2))).toEqual([
      ["0", "No"],
      ["1", "No"],
      ["", "No"],
    ]);
  });

  it("rejects ragged rows with their line and the field counts", async () => {
    const path = inline("ragged.csv", "a,b,y\n1,2,x\n3,y\n4,5,z,extra\n6,7,x\n8,9,z\n");
    const r = await etl(path, { target: "y", dropConstant: false });
    expect(r.report.rejected_by_rule).toEqual({ ragged_row: 2 });
    expect(r.rejected.slice(1).map((row) => [row[0], row[3]])).toEqual([
      ["3", "expected 3 fields, found 2"],
      ["4", "expected 3 fields, found 4"],
    ]);
  });

  it("names the columns when the target is not one of them", async () => {
    await expect(etl(DATASETS.heart, { target: "Target" })).rejects.toThrowError(ConfigMismatchError);
    await expect(etl(DATASETS.heart, { target: "Target" })).rejects.toThrowError(/its columns are: age, sex, cp/);
  });

  it("refuses a target with three classes or one", async () => {
    const three = inline("three.csv", "x,y\n1,a\n2,b\n3,c\n4,a\n");
    await expect(etl(three, { target: "y" })).rejects.toThrowError(SchemaError);
    await expect(etl(three, { target: "y" })).rejects.toThrowError(/has 3 classes \(a, b, c\)/);
    // The message suggests a rule (the most frequent label against the others) that makes it binary.
    const message = await etl(three, { target: "y" }).catch((e: Error) => e.message);
    const suggested = /e\.g\. (\{.*\}) \(/.exec(String(message))?.[1];
    expect(suggested).toBe('{"recode": {"a": "a"}, "otherwise": "other"}');
    const binary = await etl(three, { target: "y", rules: { y: JSON.parse(suggested as string) } });
    expect(binary.report.class_counts).toEqual({ a: 2, other: 2 });
    const one = inline("one.csv", "x,y\n1,a\n2,a\n");
    await expect(etl(one, { target: "y" })).rejects.toThrowError(/has 1 class/);
  });

  it("reads Latin-1, a UTF-8 BOM, ';' and tab delimiters", async () => {
    const latin = join(tmp.dir, "latin1.csv");
    writeFileSync(latin, Buffer.from("name;y\ncaf\xe9;a\nna\xefve;b\nx;a\ny;b\n", "latin1"));
    const r = await etl(latin, { target: "y", dropIdentifiers: false });
    expect(r.report.encoding).toBe("windows-1252");
    expect(r.report.delimiter).toBe(";");
    expect(r.processed[1]?.[0]).toBe("café");
    const bom = inline("bom.csv", "\ufeffa\ty\n1\tp\n2\tq\n3\tp\n");
    const b = await etl(bom, { target: "y" });
    expect(b.processed[0]).toEqual(["a", "y"]);
    expect(b.report.delimiter).toBe("\t");
  });
});

describe("the clean pass's two ways", () => {
  it.each([
    ["titanic", { target: "Survived" }],
    ["adult", { target: "income", columns: ADULT_COLUMNS }],
    ["telco", { target: "Churn" }],
  ] as const)("%s: replaying the profile pass's rows writes what reading the file again writes", async (name, options) => {
    await expectReplayAsReread(etl, DATASETS[name], options);
  });

  it("a column with more distinct values than its dictionary holds is read cell by cell, with the same result", async () => {
    // 70,000 distinct measurements overflow the 65,535-value dictionary; every 7th row repeats row 0.
    const lines = ["id,measure,group,y"];
    for (let i = 0; i < 70_000; i++) {
      const k = i % 7 === 6 ? 0 : i;
      lines.push(`${i},${(k * 0.37).toFixed(2)}, g${k % 5} ,${k % 3 === 0 ? "yes" : "no"}`);
    }
    const path = inline("overflow.csv", `${lines.join("\n")}\n`);
    // The cells past the dictionary are kept as bytes: the rows still replay from memory.
    const r = await expectReplayAsReread(etl, path, { target: "y" });
    expect(r.report.dropped_columns).toEqual([{ name: "id", reason: "identifier-like (one distinct value per row)" }]);
    expect(r.schema.columns.find((c) => c.name === "measure")).toMatchObject({ type: "float", min: 0, max: 25899.26, missing: 0 });
    expect(r.report.cells.trimmed).toBe(70_000);
    expect(r.processed).toHaveLength(70_000 + 1);
    expect(r.processed[2]).toEqual(["0.37", "g1", "no"]);
    expect(r.processed[7]).toEqual(["0.00", "g0", "yes"]);
  });
});

describe("discretisation", () => {
  it("bins Pima's age into quartiles and its BMI into equal widths, with the edges in the schema and the report", async () => {
    const rules = {
      age: { discretize: { method: "quantile", bins: 4 } },
      bmi: { zeroMeansMissing: true, discretize: { method: "width", bins: 3, labels: "index" } },
    } as const;
    const r = await etl(DATASETS.pima, { target: "outcome", columns: PIMA_COLUMNS, rules });
    const header = r.processed[0] as string[];
    const age = r.schema.columns.find((c) => c.name === "age");
    // pandas: qcut(age, 4) edges on Pima are 21, 24, 29, 41, 81.
    expect(age?.bins).toEqual([21, 24, 29, 41, 81]);
    expect(age?.type).toBe("category");
    expect(age?.categories?.map((c) => c.value).sort()).toEqual(["(24, 29]", "(29, 41]", "(41, 81]", "[21, 24]"]);
    const ages = r.processed.slice(1).map((row) => row[header.indexOf("age")]);
    expect(ages.filter((a) => a === "[21, 24]").length).toBeGreaterThan(150);
    const bmi = r.schema.columns.find((c) => c.name === "bmi");
    expect(bmi).toMatchObject({ type: "integer", min: 0, max: 2, missing: 11 });
    expect(bmi?.bins?.map((e) => Math.round(e * 100) / 100)).toEqual([18.2, 34.5, 50.8, 67.1]);
    // pandas: numpy.linspace(18.2, 67.1, 4) over the measured (non-zero) BMIs.
    expect(r.report.discretised.map((d) => [d.name, d.method])).toEqual([
      ["bmi", "width"],
      ["age", "quantile"],
    ]);
  });

  it("refuses to bin a column that is not numeric, naming it", async () => {
    await expect(etl(DATASETS.titanic, { target: "Survived", rules: { Sex: { discretize: { method: "width", bins: 3 } } } })).rejects.toThrow(
      /etl\.rules\.Sex\.discretize needs a numeric column, but .* gives "Sex" the type category; line 2 holds "male", which is not a number/,
    );
  });
});

describe("repeated rows", () => {
  it("rejects every repeat with its own line, the first copy's line and the row's raw fields, whether replayed or read again", async () => {
    // The last two differ from line 2 only in spaces: the same values once trimmed, each shown as it was written.
    const rows = ["a,b,y", " 1,x,0", '2,"q,r",1', " 1,x,0", "3,z,0", '2,"q,r",1', " 1,x,0", " 1,x,0", "4,w,1", '2,"q,r",1', "1,x ,0", "1,x ,0"];
    const input = inline("repeats.csv", `${rows.join("\n")}\n`);
    const expected = [
      ["source_line", "rule", "column", "detail", "a", "b", "y"],
      ["4", "duplicate_row", "", "same values as line 2", " 1", "x", "0"],
      ["6", "duplicate_row", "", "same values as line 3", "2", "q,r", "1"],
      ["7", "duplicate_row", "", "same values as line 2", " 1", "x", "0"],
      ["8", "duplicate_row", "", "same values as line 2", " 1", "x", "0"],
      ["10", "duplicate_row", "", "same values as line 3", "2", "q,r", "1"],
      ["11", "duplicate_row", "", "same values as line 2", "1", "x ", "0"],
      ["12", "duplicate_row", "", "same values as line 2", "1", "x ", "0"],
    ];
    for (const inMemoryCells of [undefined, 1]) {
      const r = await etl(input, { target: "y", duplicates: "drop", ...(inMemoryCells ? { inMemoryCells } : {}) });
      expect(r.report.rejected_by_rule).toEqual({ duplicate_row: 7 });
      expect(r.report.rows_out).toBe(4);
      expect(r.report.second_pass).toBe(inMemoryCells ? "source read again" : "replayed from memory");
      expect(r.rejected).toEqual(expected);
    }
  });
});

describe("a file of repeated lines", () => {
  // Lines the line memo takes (plain, CRLF, spaced variants) and lines it leaves to the tokenizer (quoted),
  // under every rule a repeated row can meet: kept, duplicate, missing target, type mismatch, out of range.
  const pool = ["1,x,0.5,yes", " 1,x,0.5,yes", '2,"q,r",1.5,no', "3,z,abc,no", "4,w,2.5,", "-5,w,2.5,yes", "6,v,3.5,no\r", "7,v,,yes"];
  const lines = ["a,b,c,y"];
  for (let i = 0; i < 3000; i++) {
    const k = (i * 7919) % 12;
    lines.push(k < pool.length ? (pool[k] as string) : `${i},u${i % 7},${i}.25,${i % 2 ? "yes" : "no"}`);
  }
  const rules = { a: { min: 0 }, c: { type: "float" as const } };

  it.each([
    ["duplicates dropped", { target: "y", rules, duplicates: "drop" as const }],
    ["duplicates kept", { target: "y", rules, dropDuplicates: false }],
    ["duplicates decided by auto", { target: "y", rules }],
    ["mismatches read as missing", { target: "y", rules, duplicates: "drop" as const, onTypeMismatch: "missing" as const }],
  ])("%s: replaying repeats from memory writes what reading every line again writes", async (_, options) => {
    const input = inline(`repeated-${++inlined}.csv`, `${lines.join("\n")}\n`);
    const inferred = await inferSchema(openSource(input), options);
    expect(inferred.rowStore?.records).toBeLessThan(inferred.rows / 2);
    const replayed = await expectReplayAsReread(etl, input, options);
    expect(replayed.report.rows_in).toBe(3000);
    expect(Object.keys(replayed.report.rejected_by_rule).length).toBeGreaterThanOrEqual(3);
  });

  it("counts the repeats met before the memory budget ran out once they go back to being read line by line", async () => {
    const input = inline(`repeated-${++inlined}.csv`, `${lines.join("\n")}\n`);
    const options = { target: "y", rules };
    // About 1,500 rows fit in 8,000 cells; the rest of the profile pass counts cell by cell.
    const partly = await etl(input, { ...options, inMemoryCells: 8000 });
    const never = await etl(input, { ...options, inMemoryCells: 0 });
    expect(partly.report.second_pass).toBe("source read again");
    expect(partly.rejectedText).toBe(never.rejectedText);
    expect(partly.report).toEqual(never.report);
    expect(partly.schema).toEqual(never.schema);
    // The profile pass's own counts (what the planned schema's missing counts, ranges and types come from).
    const plan = async (inMemoryCells: number) => {
      const inferred = await inferSchema(openSource(input), { ...options, inMemoryCells });
      return { planned: inferred.planned, counts: inferred.profiles.map((p) => [...p.counts]) };
    };
    expect(await plan(8000)).toEqual(await plan(0));
    expect(await plan(1 << 20)).toEqual(await plan(0));
  });
});

describe("inferSchema and clean as two calls", () => {
  it("plan the schema, then clean with it; a second clean on the same plan is refused", async () => {
    const source = openSource(DATASETS.heart);
    const inferred = await inferSchema(source, { target: "target" });
    expect(inferred.planned.find((c) => c.name === "cp")).toMatchObject({ type: "integer", role: "feature" });
    expect([inferred.negativeClass, inferred.positiveClass]).toEqual(["0", "1"]);
    const outputs = { processed: join(tmp.dir, "two-calls.csv"), rejected: join(tmp.dir, "two-calls-rejected.csv") };
    const result = await clean(source, inferred, outputs);
    expect(result.rowsOut + result.rowsRejected).toBe(inferred.rows);
    expect(result.rejectedByRule).toEqual({ duplicate_row: 1 });
    await expect(clean(source, inferred, outputs)).rejects.toThrow(EtlError);
  });
});
