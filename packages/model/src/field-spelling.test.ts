import { describe, expect, it } from "vitest";
import { spelledAs } from "./field-spelling.js";

describe("spelledAs: the field a name spells otherwise", () => {
  it("ignores case, spaces, underscores, hyphens and dots", () => {
    const fields = ["MonthlyCharges", "tenure", "native-country", "capital.gain"];
    expect(["monthlycharges", "Monthly Charges", "monthly_charges", "NATIVE_COUNTRY", "capital gain"].map((n) => spelledAs(n, fields))).toEqual([
      "MonthlyCharges",
      "MonthlyCharges",
      "MonthlyCharges",
      "native-country",
      "capital.gain",
    ]);
  });

  it("says nothing for a name spelt as a field, a name like none, or one like several", () => {
    expect(spelledAs("tenure", ["tenure"])).toBeUndefined();
    expect(spelledAs("churn_score", ["tenure"])).toBeUndefined();
    expect(spelledAs("ab", ["a_b", "A-B"])).toBeUndefined();
  });
});
