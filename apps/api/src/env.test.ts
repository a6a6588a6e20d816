import { describe, expect, it } from "vitest";
import { optionsFromEnv } from "./env.js";

describe("optionsFromEnv", () => {
  it("reads the service's settings, lists split on commas", () => {
    const o = optionsFromEnv({ API_KEYS: "a, b,,", MAX_BATCH: "50", DRIFT_WINDOW: "0", SCORE_THREADS: "2", UNKNOWN_FIELDS: "ignore" });
    expect(o).toMatchObject({ apiKeys: ["a", "b"], maxBatch: 50, driftWindow: 0, scoreThreads: 2, unknownFields: "ignore", logLevel: "info" });
  });

  it("leaves out a thread count that is not a whole number ≥ 1, and an unknown UNKNOWN_FIELDS", () => {
    for (const v of ["0", "-1", "two", "1.5", ""]) expect(optionsFromEnv({ SCORE_THREADS: v }).scoreThreads).toBeUndefined();
    expect(optionsFromEnv({ UNKNOWN_FIELDS: "maybe" }).unknownFields).toBeUndefined();
  });

  it("turns the explainer's warm-up off with WARM_EXPLANATIONS=false only", () => {
    expect(optionsFromEnv({ WARM_EXPLANATIONS: "false" }).warmExplanations).toBe(false);
    for (const v of [undefined, "true", "0", ""]) expect(optionsFromEnv({ WARM_EXPLANATIONS: v }).warmExplanations).toBeUndefined();
  });
});
