import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBooleanText, isDateText, numberKind, parseNumber } from "../internal/values.js";
import { COLUMN_RULES } from "../rules/index.js";
import type { ColumnRule } from "../rules/rule.js";
import type { Engine } from "./engine.js";
import { ENGINES } from "./engines.test-util.js";
import { dateMsSql, isBooleanSql, isDateSql, isIntegerTextSql, isNumberSql } from "./sql-values.js";

// The SQL grammar of values against the native one, value by value, in every engine.
const pad = (n: number) => String(n).padStart(2, "0");
function dateCandidates(): string[] {
  const out: string[] = [];
  for (const mo of [0, 1, 2, 12, 13]) for (const d of [0, 1, 29, 30, 31, 32]) out.push(`2020-${pad(mo)}-${pad(d)}`);
  for (const h of [0, 9, 23, 24, 25])
    for (const mi of [0, 59, 60])
      for (const s of ["", ":00", ":59", ":60", ":00.5", ":00.000", ":01.0", ":07.1234"])
        for (const z of ["", "Z", "+05:30", "-0530", "+24:00", "+23:59", "+00:60", "+99:00", "+0099", "+00", "-05", "+99", "+5"])
          for (const sep of ["T", " "]) out.push(`2019-02-28${sep}${pad(h)}:${pad(mi)}${s}${z}`);
  return out;
}
const numberCandidates = [
  "0",
  "-0",
  "+1",
  "1.",
  ".5",
  "1e3",
  "1E-3",
  "1e",
  "e1",
  "1e400",
  "-1e400",
  "0x10",
  "1_000",
  "12a",
  "+",
  "-",
  ".",
  "3.25",
  "007",
  "1.5e+2",
  "Infinity",
  "NaN",
  "١٢",
];
const booleanCandidates = ["true", "FALSE", "True", "yes", "truee", "0"];

describe.each(ENGINES)("the SQL grammar of values ($name)", ({ open }) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await open();
  });
  afterAll(async () => engine?.close());

  let asked = 0;
  /** The answers of `expr` for each value, in order (the values in a table of the engine). */
  const ask = async (values: readonly string[], expr: (v: string) => string) => {
    const table = `pipe_test_values_${asked++}`;
    const rows = await engine.createTextTable(table, [
      { name: "k", type: "integer" },
      { name: "v", type: "text" },
    ]);
    for (const [k, v] of values.entries()) rows.append([k, v]);
    await rows.close();
    const answers = await engine.rows(`SELECT ${expr("v")} AS answer FROM ${engine.dialect.ident(table)} ORDER BY k`);
    await engine.run(`DROP TABLE ${engine.dialect.ident(table)}`);
    // Engines answer a condition as true/false or 1/0, and numbers as numbers or their text.
    return answers.map((r) =>
      r.answer === null ? null : typeof r.answer === "boolean" ? r.answer : r.answer === "1" || r.answer === "0" ? r.answer === "1" : r.answer,
    );
  };

  it("reads dates as Date.parse does, in every ISO and legacy form the native ETL accepts", async () => {
    const values = dateCandidates();
    const d = engine.dialect;
    expect(await ask(values, (v) => isDateSql(d, v))).toEqual(values.map(isDateText));
    const ms = await ask(values, (v) => dateMsSql(d, v));
    expect(ms.map((m) => (m === null ? null : Number(m)))).toEqual(values.map((v) => (isDateText(v) ? Date.parse(v) : null)));
  });

  it("reads numbers, integers and booleans as the native grammar does", async () => {
    const d = engine.dialect;
    expect(await ask(numberCandidates, (v) => isNumberSql(d, v))).toEqual(numberCandidates.map((v) => parseNumber(v) !== undefined));
    expect(await ask(numberCandidates, (v) => isIntegerTextSql(d, v))).toEqual(
      numberCandidates.map((v) => numberKind(v) === 2 && parseNumber(v) !== undefined),
    );
    expect(await ask(booleanCandidates, (v) => isBooleanSql(d, v))).toEqual(booleanCandidates.map(isBooleanText));
  });

  it("trims the white space JavaScript trims, and no more", async () => {
    const values = [" a ", "\u00a0b\u3000", "\t c \ufeff", "d\u200b", "  ", "e f", " \u2028g\u2029 "];
    expect(await ask(values, (v) => engine.dialect.trim(v))).toEqual(values.map((v) => v.trim()));
  });
});

describe("the rule registry", () => {
  it("gives every rule that normalises or checks its SQL twin", () => {
    const missing = (COLUMN_RULES as readonly ColumnRule[])
      .filter((r) => (r.step && !(r.sql?.step && r.sql.counts)) || (r.check && !r.sql?.check))
      .map((r) => r.key);
    expect(missing).toEqual([]);
  });
});
