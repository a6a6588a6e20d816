import { describe, expect, it } from "vitest";
import { SchemaError } from "../errors.js";
import type { ColumnFacts } from "../internal/profile.js";
import { resolveOptions } from "../options.js";
import { chooseClasses } from "./infer-schema.js";

/** A target column's facts with these label counts. */
const target = (counts: Record<string, number>): ColumnFacts =>
  ({ name: "y", counts: new Map(Object.entries(counts)), distinctCapped: false }) as unknown as ColumnFacts;
const opts = resolveOptions({ target: "y" });
const messageOf = (counts: Record<string, number>) => {
  try {
    chooseClasses(target(counts), opts);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return (error as Error).message;
  }
  throw new Error("no error");
};

describe("chooseClasses", () => {
  it("takes the larger label, as numbers when both are, for the positive class", () => {
    expect(chooseClasses(target({ yes: 3, no: 5 }), opts)).toEqual({ positive: "yes", negative: "no" });
    expect(chooseClasses(target({ "10": 3, "9": 5 }), opts)).toEqual({ positive: "10", negative: "9" });
  });
  it("says when labels make two classes once spelled alike, with the recode to the most frequent spellings", () => {
    expect(messageOf({ Yes: 30, yes: 2, No: 1, no: 40 })).toBe(
      `target "y" has 4 classes (Yes, yes, No, no), two once spelled alike (upper and lower case, 1 and 1.0): spell each one way with etl.rules.y.recode: --set 'etl.rules.y={"recode":{"yes":"Yes","No":"no"}}'`,
    );
    expect(messageOf({ "1": 5, "1.0": 9, "0": 4, "0.00": 1, "-0": 1 })).toMatch(/--set 'etl\.rules\.y=\{"recode":\{"1":"1\.0","0\.00":"0","-0":"0"\}\}'$/u);
  });
  it("gives the many-class advice when spelling alike leaves more (or fewer) than two", () => {
    expect(messageOf({ yes: 1, no: 1, maybe: 1 })).toMatch(/has 3 classes .*recode and \.otherwise/u);
    expect(messageOf({ Yes: 1, yes: 1, YES: 1 })).toMatch(/has 3 classes .*recode and \.otherwise/u);
  });
});
