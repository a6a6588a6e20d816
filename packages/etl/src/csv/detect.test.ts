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
  it("sees a header with numbers in it when most columns have a word above numbers (scikit-learn's iris.csv)", () => {
    const iris = "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n7.0,3.2,4.7,1.4,1\n6.3,3.3,6.0,2.5,2\n";
    expect(detectHeader(iris, ",")).toBe(true);
    expect(detectHeader("id,2019,2020\n1,5,6\n2,7,8\n3,9,9\n", ",")).toBe(false);
  });
  it("sees a header in a first row holding a name the caller looks for, numbers or not (years as column names)", () => {
    const years = "id,2019,2020,churned\n1,5,6,no\n2,7,8,yes\n3,9,9,no\n";
    expect(detectHeader(years, ",")).toBe(false);
    expect(detectHeader(years, ",", ["churned"])).toBe(true);
    expect(detectHeader(years.replace("churned", " churned "), ",", ["churned"])).toBe(true);
    // A name only inside a field, or absent, changes nothing.
    expect(detectHeader(years, ",", ["churn"])).toBe(false);
    expect(detectHeader("39, State-gov, 77516\n50, Self-emp, 83311\n", ",", ["income"])).toBe(false);
  });
  it("takes no data row for a header for a stray word or a missing token above numbers", () => {
    expect(detectHeader("39,oops,77516,13,40\n50,1,83311,13,13\n38,2,215646,9,40\n53,3,234721,7,40\n", ",")).toBe(false);
    expect(detectHeader("NA,-,77516\n50,1,83311\n38,2,215646\n53,3,234721\n", ",")).toBe(false);
  });
  it("sees no header in rows of words whose first row's values come back", () => {
    expect(detectHeader("yes,urban,good,no\nno,rural,fair,yes\nyes,urban,good,yes\nno,rural,good,no\n", ",")).toBe(false);
  });
});
