import { describe, expect, it } from "vitest";
import { ConfigMismatchError, SchemaError } from "../errors.js";
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
  it("advises a cut at the median for a numeric target of many values (a quantity to regress)", () => {
    const counts = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [String(5 + i * 1.25), 1 + (i % 3)]));
    expect(messageOf(counts)).toMatch(
      /has 40 classes \(.*\); pipe trains binary classifiers: pick a two-class target, or make two classes of this one with etl\.rules\.y\.discretize, e\.g\. cut at its median, the upper half positive: --set 'etl\.rules\.y=\{"discretize": \{"method": "quantile", "bins": 2\}\}'$/u,
    );
  });
  it("takes a target cut in two bins: the upper bin positive, or the one --positive names", () => {
    const binning = { edges: [5, 21.2, 50], labels: ["[5, 21.2]", "(21.2, 50]"] };
    const facts = target({ "5": 1, "21.2": 1, "50": 1 });
    expect(chooseClasses(facts, opts, binning)).toEqual({ positive: "(21.2, 50]", negative: "[5, 21.2]" });
    expect(chooseClasses(facts, resolveOptions({ target: "y", positive: "[5, 21.2]" }), binning)).toEqual({ positive: "[5, 21.2]", negative: "(21.2, 50]" });
    expect(() => chooseClasses(facts, resolveOptions({ target: "y", positive: "21.2" }), binning)).toThrow(ConfigMismatchError);
    expect(() => chooseClasses(facts, opts, { edges: [0, 1, 2, 3], labels: ["0", "1", "2"] })).toThrow(
      'etl.rules.y.discretize cuts the target into 3 bins (0, 1, 2); a binary classifier needs two: "bins": 2, or one number in "cuts" from the target\'s least value up to below its greatest',
    );
  });
});
