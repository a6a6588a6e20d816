import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../../test-support/index.js";
import { ConfigMismatchError } from "../errors.js";
import { openSource } from "../extract/source.js";
import { DEFAULT_MISSING_TOKENS } from "../internal/values.js";
import { type EtlOptions, resolveOptions } from "../options.js";
import { runEtl } from "../run-etl.js";
import { emptyCellCounts, makeCellNormaliser } from "./normalise.js";

const tmp = tempDir("pipe-fill-");
afterAll(tmp.cleanup);

describe("fill: the value of a column's missing cells", () => {
  it("fills blanks, missing tokens and zeros read as missing, last of the normalisation, and counts each", () => {
    const counts = emptyCellCounts();
    const normalise = makeCellNormaliser(DEFAULT_MISSING_TOKENS, { zeroMeansMissing: true, fill: " -1 " });
    expect(["", "  ", "NA", "?", "0", "0.0", "12", " 7 "].map((v) => normalise(v, counts))).toEqual(["-1", "-1", "-1", "-1", "-1", "-1", "12", "7"]);
    expect(counts).toMatchObject({ filled: 6, missing_token: 2, zero_as_missing: 2, trimmed: 2 });
    // A recode runs first: a value it leaves as it is is not missing, and is not filled.
    const recoded = makeCellNormaliser(DEFAULT_MISSING_TOKENS, { recode: { x: "y" }, otherwise: "z", fill: "none" });
    expect(["x", "w", ""].map((v) => recoded(v))).toEqual(["y", "z", "none"]);
    // Without a fill, missing stays missing.
    expect(makeCellNormaliser(DEFAULT_MISSING_TOKENS, {})("NA")).toBe("");
  });

  it("takes a number as its text, as pandas' fillna(0) is written (and otherwise too)", () => {
    const resolved = resolveOptions({ target: "y", rules: { visits: { fill: 0 }, tier: { recode: { a: "1" }, otherwise: 2 } } });
    expect(resolved.rules.visits?.fill).toBe("0");
    expect(resolved.rules.tier?.otherwise).toBe("2");
    expect(makeCellNormaliser(DEFAULT_MISSING_TOKENS, resolved.rules.visits)("")).toBe("0");
  });

  it("makes a flag written only where it is set a two-class target (vega-datasets' citywages.csv: 8 ones, 187 blanks)", async () => {
    const lines = ["metro,population,highlight"];
    for (let i = 0; i < 195; i++) lines.push(`m${i},${1000 + ((i * 7919) % 5000)},${i % 24 === 0 ? "1" : ""}`);
    const input = join(tmp.dir, "flags.csv");
    writeFileSync(input, `${lines.join("\n")}\n`);
    const run = (options: EtlOptions) => runEtl(openSource(input), options, { processed: join(tmp.dir, "p.csv"), rejected: join(tmp.dir, "r.csv") });
    const refused = await run({ target: "highlight" }).catch((e: Error) => e.message);
    expect(refused).toBe(
      `target "highlight" has 1 class (1); a binary classifier needs two; besides, 186 of its values are blank: if a blank means "0" here (a flag written only where it is set), fill them: --set 'etl.rules.highlight={"fill":"0"}'`,
    );
    const { report, schema } = await run({ target: "highlight", rules: { highlight: { fill: "0" } } });
    expect(report.class_counts).toEqual({ "0": 186, "1": 9 });
    expect(report.cells.filled).toBe(186);
    expect(report.rows_rejected).toBe(0);
    expect(schema.positiveClass).toBe("1");
  });

  it("fills a feature whose blank is a count of none, and a fill of another type is a type mismatch like any value", async () => {
    const lines = ["visits,refunds,label"];
    for (let i = 0; i < 60; i++) lines.push(`${i % 9},${i % 4 < 2 ? String(i % 3) : ""},${i % 2 ? "yes" : "no"}`);
    const input = join(tmp.dir, "counts.csv");
    writeFileSync(input, `${lines.join("\n")}\n`);
    const processed = join(tmp.dir, "counts.p.csv");
    const filled = await runEtl(openSource(input), { target: "label", rules: { refunds: { fill: "0" } } }, { processed, rejected: join(tmp.dir, "c.r.csv") });
    expect(filled.schema.columns.find((c) => c.name === "refunds")).toMatchObject({ type: "integer", missing: 0 });
    expect(filled.report.cells.filled).toBe(30);
    const typed = await runEtl(
      openSource(input),
      { target: "label", rules: { refunds: { type: "integer", fill: "none" } } },
      { processed, rejected: join(tmp.dir, "c2.r.csv") },
    );
    expect(typed.report.rejected_by_rule.type_mismatch).toBe(30);
  });

  it("refuses a blank fill, naming the key", async () => {
    const input = join(tmp.dir, "tiny.csv");
    writeFileSync(input, "a,label\n1,yes\n2,no\n");
    const error = await runEtl(
      openSource(input),
      { target: "label", rules: { a: { fill: "  " } } },
      { processed: join(tmp.dir, "t.csv"), rejected: join(tmp.dir, "t.r.csv") },
    ).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConfigMismatchError);
    expect((error as Error).message).toBe("etl.rules.a.fill: fill needs a value that is not blank (a blank is what it replaces)");
  });
});
