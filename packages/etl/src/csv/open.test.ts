import { describe, expect, it } from "vitest";
import { headerNameNotes, normaliseNames } from "./open.js";

describe("a header's names", () => {
  it("are trimmed; a blank one is named by its position, a repeated one numbered", () => {
    expect(normaliseNames(["", " age ", "score", "score", "score "])).toEqual(["column_1", "age", "score", "score_2", "score_3"]);
  });

  it("say what was renamed, for the run's warnings (nothing when nothing was)", () => {
    const raw = ["", "age", "score", "score", ""];
    expect(headerNameNotes(raw, normaliseNames(raw))).toEqual([
      "columns 1, 5 have no name in the header (pandas writes its index so): read as column_1, column_5",
      "the header names several columns alike: read score (column 4) as score_2 — rename them in the file to choose the names",
    ]);
    expect(headerNameNotes([" age ", "y"], normaliseNames([" age ", "y"]))).toEqual([]);
    expect(headerNameNotes(undefined, ["column_1"])).toEqual([]);
  });
});
