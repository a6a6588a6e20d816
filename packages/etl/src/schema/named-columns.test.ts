import { describe, expect, it } from "vitest";
import { ConfigMismatchError } from "../errors.js";
import { resolveOptions } from "../options.js";
import { checkNamedColumns } from "./infer-schema.js";

const columns = ["PassengerId", "Survived", "Pclass", "Monthly_Charges", "start", "a_b", "AB", "capital.gain"];
const refusal = (options: Parameters<typeof resolveOptions>[0]) => {
  try {
    checkNamedColumns(columns, resolveOptions(options), "titanic.csv");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigMismatchError);
    return (error as Error).message;
  }
  throw new Error("no refusal");
};

describe("a column the options name that the data does not have", () => {
  it("the target: says which column the data spells otherwise (case, spaces, underscores)", () => {
    expect(refusal({ target: "survived" })).toBe(
      `target column "survived" is not in titanic.csv; did you mean "Survived"? (names are matched as written); its columns are: ${columns.join(", ")}. Pass --target with one of them`,
    );
    expect(refusal({ target: "Monthly Charges" })).toContain('did you mean "Monthly_Charges"?');
    // Kaggle's Adult writes UCI's capital-gain as capital.gain.
    expect(refusal({ target: "capital-gain" })).toContain('did you mean "capital.gain"?');
    // Two candidates: no guess.
    expect(refusal({ target: "ab" })).not.toContain("did you mean");
    expect(refusal({ target: "Churn" })).not.toContain("did you mean");
  });

  it("a column with rules, or in a date order: names the file (not the column twice), the near spelling and the columns", () => {
    expect(refusal({ target: "Survived", rules: { pclass: { type: "integer" } } })).toBe(
      `the config has rules for column "pclass", which titanic.csv does not have; did you mean "Pclass"? (names are matched as written); columns: ${columns.join(", ")}`,
    );
    expect(refusal({ target: "Survived", dateOrder: [{ before: "Start", after: "end" }] })).toBe(
      `dateOrder names a column titanic.csv does not have: Start; did you mean "start"? (names are matched as written); columns: ${columns.join(", ")}`,
    );
    expect(refusal({ target: "Survived", dateOrder: [{ before: "start", after: "end" }] })).toBe(
      `dateOrder names a column titanic.csv does not have: end; columns: ${columns.join(", ")}`,
    );
  });
});
