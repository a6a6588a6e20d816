import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../../test-support/index.js";
import { configJsonSchema, parseConfig, setPath } from "./config.js";

describe("pipeline config", () => {
  it("the bundled pipe.config.json is valid and says target Churn, positive Yes, test size 0.3, seed 42", () => {
    const raw = JSON.parse(readFileSync(join(ROOT, "pipe.config.json"), "utf8"));
    const config = parseConfig(raw, "pipe.config.json");
    expect(config).toMatchObject({ target: "Churn", positive: "Yes", testSize: 0.3, seed: 42 });
    expect(config.model.nEstimators).toBe(100);
  });
  it("the committed JSON Schema is the one the code generates (run `pnpm config:schema` after a change)", () => {
    const committed = JSON.parse(readFileSync(join(ROOT, "pipe.config.schema.json"), "utf8"));
    expect(committed).toEqual(configJsonSchema());
  });
  it("names the field and the problem of an invalid value", () => {
    expect(() => parseConfig({ target: "y", testSize: 1.5 }, "c.json")).toThrow(/^c\.json: testSize: /);
    expect(() => parseConfig({ target: "y", model: { trees: 5 } }, "c.json")).toThrow(/^c\.json: model: Unrecognized key/);
  });
  it("sets dotted paths and refuses prototype keys", () => {
    const o: Record<string, unknown> = {};
    setPath(o, "model.nEstimators", 5);
    expect(o).toEqual({ model: { nEstimators: 5 } });
    expect(() => setPath(o, "__proto__.x", 1)).toThrow(/not a config path/);
  });
});
