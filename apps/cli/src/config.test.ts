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
  it("reads a column name with dots under etl.rules (Kaggle's Adult: capital.gain), up to a rule's key", () => {
    const o: Record<string, unknown> = {};
    setPath(o, "etl.rules.capital.gain", { drop: true });
    setPath(o, "etl.rules.capital.loss.fill", "0");
    setPath(o, "etl.rules.native.country.recode", { "?": "unknown" });
    setPath(o, "etl.rules.age.max", 120);
    // A name whose last part is a rule's key, given its rules as an object (as pipe's advice writes it).
    setPath(o, "etl.rules.price.min", { drop: true });
    expect(o).toEqual({
      etl: {
        rules: {
          "capital.gain": { drop: true },
          "capital.loss": { fill: "0" },
          "native.country": { recode: { "?": "unknown" } },
          age: { max: 120 },
          "price.min": { drop: true },
        },
      },
    });
  });
});
