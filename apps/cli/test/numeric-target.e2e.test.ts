import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// A target that is a quantity (a price), made two classes at a cut by the ETL: the model keeps the
// cut, so a labelled file of raw prices is scored against the same two classes.
const tmp = tempDir("pipe-numeric-target-");
afterAll(tmp.cleanup);

/** Houses: rooms and area drive the price; a few prices past the training file's range in `extra`. */
function houses(n: number, seed: number, extra: string[] = []): string {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, () => {
    const rooms = 1 + Math.floor(random() * 6);
    const area = Math.round(30 + rooms * 20 + random() * 40);
    const price = Math.round(50 + area * 1.8 + (random() - 0.5) * 60);
    return `${rooms},${area},${["north", "south"][Math.floor(random() * 2)]},${price}`;
  });
  return `rooms,area,side,price\n${[...rows, ...extra].join("\n")}\n`;
}

describe("a numeric target cut in two", () => {
  const train = join(tmp.dir, "houses.csv");
  writeFileSync(train, houses(400, 1));
  const out = join(tmp.dir, "out");
  const rule = 'etl.rules.price={"discretize": {"method": "cuts", "cuts": [250]}}';

  it("trains on its two bins, the upper one positive, and the model keeps the cut", () => {
    const r = pipe(["run", "--input", train, "--target", "price", "--out", out, "--quiet", "--no-png", "--trees", "30", "--set", rule], tmp.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const model = JSON.parse(readFileSync(join(out, "model.json"), "utf8").replace(/^[^{]*/, "")) as Record<string, unknown>;
    const content = (model.content ?? model) as { positive_class: string; target_bins: { edges: number[]; labels: string[] } };
    expect(content.positive_class).toMatch(/^\(250, \d+\]$/u);
    expect(content.target_bins.edges[1]).toBe(250);
    expect(content.target_bins.labels[1]).toBe(content.positive_class);
  });

  it("scores a labelled file of raw prices against those bins, prices past the training range included", () => {
    const fresh = join(tmp.dir, "fresh.csv");
    writeFileSync(fresh, houses(200, 2, ["6,200,north,900", "1,20,south,5"]));
    const scored = join(tmp.dir, "scored.csv");
    const r = pipe(["predict", "--model", join(out, "model.json"), "--input", fresh, "--output", scored], tmp.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/against the price labels of 202 rows: ROC AUC 0\.9\d+/u);
    const metrics = JSON.parse(readFileSync(join(tmp.dir, "scored.metrics.json"), "utf8")) as Record<string, unknown>;
    expect(metrics).toMatchObject({ target: "price", rows_scored: 202, rows_labelled: 202, rows_missing_label: 0, unknown_labels: {} });
  });
});
