import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EtlOptions, inferSchema, openSource } from "@pipe/etl";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../test-support/index.js";
import { configJsonSchema } from "./config.js";

// The ETL's messages name config keys (`etl.rules.Age.discretize`); every key they name is one the
// config file has, so a user can find and set it.
const tmp = tempDir("pipe-keys-");
afterAll(tmp.cleanup);
const csv = join(tmp.dir, "data.csv");
writeFileSync(
  csv,
  `when,grade,score,y\n${Array.from({ length: 40 }, (_, i) => `2026-01-${String(1 + (i % 28)).padStart(2, "0")},${i % 3 ? "a" : "b"},${i},${i % 2}`).join("\n")}\n2O26-01-01,a,x,1\n`,
);

type Schema = { properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; items?: Schema; anyOf?: Schema[] };
/** Whether a dotted key exists in the config's JSON schema (a column name stands for any key of `rules`). */
function exists(schema: Schema, key: string): boolean {
  let node: Schema | undefined = schema;
  for (const part of key.split(".")) {
    const next: Schema | undefined =
      node?.properties?.[part] ?? (typeof node?.additionalProperties === "object" ? node.additionalProperties : undefined) ?? node?.items;
    node = next?.anyOf?.find((s) => s.properties || s.additionalProperties) ?? next;
    if (!node) return false;
  }
  return true;
}

async function messageOf(options: EtlOptions): Promise<string> {
  try {
    await inferSchema(openSource(csv), options);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(options)}`);
}

describe("every config key an ETL message names exists", () => {
  it.each([
    { target: "y", rules: { when: { maxDate: "2026-12-31" } } },
    { target: "y", rules: { grade: { min: 0 } } },
    { target: "y", rules: { grade: { discretize: { method: "width", bins: 3 } } } },
    { target: "y", rules: { grade: { discretize: { method: "width", bins: 1 } } } },
    { target: "y", maxMissingShare: 2 },
    { target: "y", dateOrder: [{ before: "when", after: "grade" }] },
    { target: "y", rules: { grade: { allowed: "a" } } },
  ] as unknown as EtlOptions[])("%j", async (options) => {
    const message = await messageOf(options);
    const keys = [...message.matchAll(/\betl\.[\w.]+[\w]/g)].map((m) => m[0].replace(/\.$/, ""));
    expect(keys.length, message).toBeGreaterThan(0);
    for (const key of keys) expect(exists(configJsonSchema() as Schema, key), `${key} in "${message}"`).toBe(true);
  });
});
