import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../../test-support/index.js";
import { SchemaError } from "../errors.js";
import { openSource } from "../extract/source.js";
import { DEFAULT_MISSING_TOKENS } from "../internal/values.js";
import type { EtlOptions } from "../options.js";
import { runEtl } from "../run-etl.js";
import { complementOf } from "./target-tokens.js";

// A target whose word for "no such thing" is a default missing token: vega-datasets' birdstrikes.csv has
// "None" in 8,939 of 10,000 "Effect Amount of damage" cells. Those rows are rejected as missing_target;
// the error about the classes and the run's warnings must say that a token, not blanks, did it.
const tmp = tempDir("pipe-target-tokens-");
afterAll(tmp.cleanup);

/** A CSV of `rows` rows whose target cycles through `labels` (a label per row, in order). */
function csv(name: string, labels: readonly string[], rows: number): string {
  const lines = ["speed,size,damage"];
  for (let i = 0; i < rows; i++) lines.push(`${100 + ((i * 37) % 400)},${["small", "medium", "large"][i % 3]},${labels[i % labels.length]}`);
  const path = join(tmp.dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

async function run(path: string, options: EtlOptions) {
  const base = join(tmp.dir, `${Math.random().toString(36).slice(2)}`);
  return runEtl(openSource(path), options, { processed: `${base}.csv`, rejected: `${base}.rej.csv` });
}

async function refusal(path: string, options: EtlOptions): Promise<string> {
  const error = await run(path, options).catch((e: Error) => e);
  expect(error).toBeInstanceOf(SchemaError);
  return (error as Error).message;
}

/** The --set that keeps `token`, as the messages spell it: the default list without it. */
const keeping = (token: string) => `--set 'etl.missingTokens=${JSON.stringify(DEFAULT_MISSING_TOKENS.filter((t) => t !== token))}'`;

describe("a target emptied by a missing token", () => {
  it("says so in the error about the target's classes, with the setting that keeps the word", async () => {
    // 6 of every 10 rows "None", the rest four kinds of damage (birdstrikes' shape).
    const path = csv("strikes.csv", ["None", "Minor", "None", "Medium", "None", "Substantial", "None", "None", "B", "None"], 200);
    const message = await refusal(path, { target: "damage" });
    expect(message).toMatch(/^target "damage" has 4 classes \(Minor, Medium, Substantial, B\); pipe trains binary classifiers/u);
    expect(message).toContain(
      `; besides, 120 of its values were read as missing because they are "None", a missing token (etl.missingTokens), and their rows rejected: if that is a class here, not a gap, keep it with ${keeping("None")}`,
    );
    // The advice works: the word is a class again, and a recode makes two of the five.
    const kept = await run(path, {
      target: "damage",
      missingTokens: DEFAULT_MISSING_TOKENS.filter((t) => t !== "None"),
      rules: { damage: { recode: { None: "none" }, otherwise: "damaged" } },
    });
    expect(kept.report.class_counts).toEqual({ none: 120, damaged: 80 });
    expect(kept.report.warnings).toEqual([]);
  });

  it("says so when the token leaves one class, and names every token with its count", async () => {
    const path = csv("one-class.csv", ["yes", "NA", "yes", "null", "NA"], 100);
    const message = await refusal(path, { target: "damage" });
    expect(message).toBe(
      `target "damage" has 1 class (yes); a binary classifier needs two; besides, 60 of its values were read as missing because they are missing tokens (etl.missingTokens: "NA" 40 times, "null" 20), and their rows rejected: if those are classes here, not gaps, keep them with --set 'etl.missingTokens=${JSON.stringify(DEFAULT_MISSING_TOKENS.filter((t) => t !== "NA" && t !== "null"))}'`,
    );
  });

  it("warns when a token rejected at least 1% of the rows as missing_target, and names the column's own rule when it is the one", async () => {
    const path = csv("two-classes.csv", [...Array.from({ length: 48 }, (_, i) => (i % 2 ? "yes" : "no")), "None", "None"], 500);
    const { report } = await run(path, { target: "damage" });
    expect(report.rejected_by_rule.missing_target).toBe(20);
    expect(report.warnings).toEqual([
      `20 rows (4.0%) were rejected as missing_target because their target "damage" holds "None", a missing token (etl.missingTokens), not a blank: if "None" is a value of damage here, keep it with ${keeping("None")}`,
    ]);
    // A token of the column's own rule: the advice is that rule, not the file-wide list.
    const own = csv("own-token.csv", [...Array.from({ length: 48 }, (_, i) => (i % 2 ? "yes" : "no")), "unknown", "unknown"], 500);
    const ruled = await run(own, { target: "damage", rules: { damage: { missingTokens: ["unknown"] } } });
    expect(ruled.report.warnings).toEqual([
      `20 rows (4.0%) were rejected as missing_target because their target "damage" holds "unknown", a missing token (etl.missingTokens), not a blank: if "unknown" is a value of damage here, keep it with etl.rules.damage.missingTokens without "unknown"`,
    ]);
  });

  it("stays quiet for blanks, and for tokens in under 1% of the rows", async () => {
    const blanks = csv("blanks.csv", ["yes", "no", "", "yes", "no"], 100);
    expect((await run(blanks, { target: "damage" })).report.warnings).toEqual([]);
    const rare = csv("rare.csv", [...Array.from({ length: 199 }, (_, i) => (i % 2 ? "yes" : "no")), "None"], 400);
    const { report } = await run(rare, { target: "damage" });
    expect(report.rejected_by_rule.missing_target).toBe(2);
    expect(report.warnings).toEqual([]);
    expect(await refusal(csv("blank-classes.csv", ["a", "b", "c", ""], 40), { target: "damage" })).not.toContain("besides");
  });

  it("counts the token the same whether the rows are kept in memory or read twice, and in a column too wide for its dictionary", async () => {
    const path = csv("strikes-reread.csv", ["None", "Minor", "None", "Medium", "None", "Substantial", "None", "None", "B", "None"], 200);
    expect(await refusal(path, { target: "damage", inMemoryCells: 0 })).toContain("besides, 120 of its values");
    // Every value distinct, the token only after the column's dictionary is full (2^18 values): those cells are profiled one by one.
    const lines = ["id,damage"];
    for (let i = 0; i < 300_000; i++) lines.push(`${i},${i >= 280_000 && i % 10 === 0 ? "None" : `v${i}`}`);
    const wide = join(tmp.dir, "distinct-target.csv");
    writeFileSync(wide, `${lines.join("\n")}\n`);
    expect(await refusal(wide, { target: "damage" })).toContain('besides, 2000 of its values were read as missing because they are "None"');
  });
});

describe("a target of one class beside blanks (a flag written only where it is set)", () => {
  it("advises the fill that makes the blanks the other class, in the label's own spelling", () => {
    expect(["1", "1.0", "yes", "Yes", "YES", "y", "Y", "true", "True", "t", "churned"].map(complementOf)).toEqual([
      "0",
      "0",
      "no",
      "No",
      "NO",
      "n",
      "N",
      "false",
      "False",
      "f",
      "not churned",
    ]);
  });

  it("says both what blanks and what tokens hid", async () => {
    const path = csv("flag-and-tokens.csv", ["Yes", "", "", "NA", ""], 50);
    expect(await refusal(path, { target: "damage" })).toBe(
      `target "damage" has 1 class (Yes); a binary classifier needs two; besides, 30 of its values are blank: if a blank means "No" here (a flag written only where it is set), fill them: --set 'etl.rules.damage={"fill":"No"}'; and 10 of its values were read as missing because they are "NA", a missing token (etl.missingTokens), and their rows rejected: if that is a class here, not a gap, keep it with ${keeping("NA")}`,
    );
  });
});
