import { describe, expect, it } from "vitest";
import { detectDelimiter, detectHeader } from "./detect.js";

describe("detectDelimiter", () => {
  it.each([
    [",", "a,b,c\n1,2,3\n"],
    [";", "a;b;c\n1,5;2,5;3\n"],
    ["\t", "a\tb\tc\n1\t2\t3\n"],
    ["|", "a|b|c\n1|2|3\n"],
  ])("finds %j", (d, text) => {
    expect(detectDelimiter(text)).toBe(d);
  });
  it("is not fooled by commas inside quotes", () => {
    expect(detectDelimiter('name;city\n"Doe, J";"Paris, FR"\n"X, Y";Rome\n')).toBe(";");
  });
});

describe("detectHeader", () => {
  it("sees a header above numeric rows", () => {
    expect(detectHeader("age,fare\n22,7.25\n38,71.3\n", ",")).toBe(true);
  });
  it("sees no header when the first row has numbers (Adult, Pima)", () => {
    expect(detectHeader("39, State-gov, 77516\n50, Self-emp, 83311\n", ",")).toBe(false);
    expect(detectHeader("6,148,72,35\n1,85,66,29\n", ",")).toBe(false);
  });
  it("sees a header above rows of words, even when a column is named after one of its values", () => {
    const survey = "votes,area,health,satisfied\nyes,urban,good,no\nno,rural,fair,yes\nyes,urban,poor,yes\n";
    expect(detectHeader(survey, ",")).toBe(true);
    expect(detectHeader("votes,urban,health,satisfied\nyes,urban,good,no\nno,rural,fair,yes\n", ",")).toBe(true);
  });
  it("sees no header in rows of words whose first row's values come back", () => {
    expect(detectHeader("yes,urban,good,no\nno,rural,fair,yes\nyes,urban,good,yes\nno,rural,good,no\n", ",")).toBe(false);
  });
});
