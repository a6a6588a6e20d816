import { describe, expect, it } from "vitest";
import { flagLabel, Preprocessor } from "./preprocessor.js";
import { type CategoricalSpec, OTHER_LEVEL } from "./spec.js";

// DuckDB's CSV reader types a Yes/No column as BOOLEAN, whose text is true/false: a table made so, scored
// by a model trained on the CSV, read every flag as an unseen category (Telco: 5,868 of 7,043 rows scored
// otherwise than from the CSV).
const flag = (name: string, levels: string[]): CategoricalSpec => ({
  name,
  kind: "categorical",
  levels: [...levels, OTHER_LEVEL],
  otherCode: levels.length,
  counts: [...levels.map(() => 10), 0],
});

describe("a flag column's yes and no in other words", () => {
  const pre = Preprocessor.fromSpecs([
    flag("Partner", ["No", "Yes"]),
    flag("MultipleLines", ["No", "Yes", "No phone service"]),
    flag("paid", ["true", "false"]),
  ]);
  const codes = (record: Record<string, unknown>) => {
    const warnings: string[] = [];
    return { row: Array.from(pre.transformRecord(record, undefined, warnings)), warnings };
  };

  it("reads true/false, y/n and any case as the flag's Yes/No (and the other way round), without a warning", () => {
    expect(codes({ Partner: "Yes", MultipleLines: "No", paid: "true" })).toEqual({ row: [1, 0, 0], warnings: [] });
    for (const [partner, paid] of [
      ["true", "yes"],
      ["TRUE", "Y"],
      [true, "YES"],
      ["t", true],
    ] as const)
      expect(codes({ Partner: partner, MultipleLines: "No", paid })).toEqual({ row: [1, 0, 0], warnings: [] });
    for (const [partner, paid] of [
      ["false", "no"],
      [false, "N"],
      ["F", false],
    ] as const)
      expect(codes({ Partner: partner, MultipleLines: "No", paid })).toEqual({ row: [0, 0, 1], warnings: [] });
  });

  it("leaves a column of three levels, and words that say neither, to the pooled level with a warning", () => {
    const { row, warnings } = codes({ Partner: "maybe", MultipleLines: "true", paid: "true" });
    expect(row).toEqual([2, 3, 0]);
    expect(warnings).toEqual([
      'Partner: "maybe" was not seen in training (or was rare), treated as other',
      'MultipleLines: "true" was not seen in training (or was rare), treated as other',
    ]);
  });

  it("flagLabel: the class a yes/no label stands for, for a pair of classes that are yes and no", () => {
    expect(flagLabel(["Yes", "No"], "true")).toBe("Yes");
    expect(flagLabel(["Yes", "No"], "false")).toBe("No");
    expect(flagLabel(["1", "0"], "true")).toBeUndefined();
    expect(flagLabel([">50K", "<=50K"], "yes")).toBeUndefined();
    expect(flagLabel(["Yes", "No"], "perhaps")).toBeUndefined();
  });
});
