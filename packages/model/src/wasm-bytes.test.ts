import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assembleWat, WASM_MODULES } from "../scripts/assemble-wat.mjs";

describe("the package's WebAssembly", () => {
  it.each(WASM_MODULES)("$ts holds the assembled $wat (run `pnpm --filter @pipe/model run wasm` after editing it)", async ({ wat, ts, name }) => {
    const bytes = await assembleWat(readFileSync(new URL(`../${wat}`, import.meta.url), "utf8"));
    const module = (await import(`../${ts.replace(/\.ts$/, ".js")}`)) as Record<string, string>;
    expect(Buffer.from(bytes).toString("base64")).toBe(module[name]);
  });
});
