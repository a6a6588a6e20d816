import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MISSING_TOKENS, numberKind } from "../internal/values.js";
import type { ColumnSchema } from "../schema/types.js";
import { COLUMN_RULES, type ColumnRules, leavesPlainNumbers, makeChecker, makeFastCheck } from "./index.js";
import { makeCellNormaliser } from "./normalise.js";

// Plain numbers may skip the string path: the ETL reads them from their bytes and writes them as they
// are when the column's fast check passes them (a number it does not pass takes the string path). For
// every rule of the registry, alone and in random company, on integer and float columns: a number the
// fast path passes is one the string path (normalise, then check) passes too, written unchanged — so
// the output is the same either way.
const numberText = fc.oneof(
  fc.integer({ min: -100_000, max: 100_000 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((x) => String(Math.round(x * 1000) / 1000)),
  fc.constantFrom("0", "-0", "0.0", "1e3", "2.5E-2", "+7", "007", "-12.50", "1000000"),
);

/** A value for each rule, as a user could set it on a numeric column; a new rule needs its entry. */
const VALUES: Record<string, fc.Arbitrary<unknown>> = {
  type: fc.constantFrom("integer", "float"),
  missingTokens: fc.array(fc.oneof(fc.constantFrom("-1", "999", "n/a", "0"), fc.string({ maxLength: 3 })), { maxLength: 3 }),
  zeroMeansMissing: fc.boolean(),
  recode: fc.dictionary(fc.constantFrom("0", "1", "7", "x"), fc.constantFrom("1", "2", "unknown"), { maxKeys: 2 }),
  otherwise: fc.constantFrom("other", "0"),
  case: fc.constantFrom("lower", "upper"),
  fill: fc.constantFrom("0", "-1", "unknown", " 7 "),
  required: fc.boolean(),
  min: fc.integer({ min: -1000, max: 1000 }),
  max: fc.integer({ min: -1000, max: 100_000 }),
  minDate: fc.constant("2020-01-01"),
  maxDate: fc.constant("2030-12-31"),
  allowed: fc.array(fc.constantFrom("1", "2", "3", "0"), { maxLength: 3 }),
  drop: fc.boolean(),
  discretize: fc.record({ method: fc.constantFrom("width", "quantile"), bins: fc.integer({ min: 2, max: 5 }) }),
};

/** A few other rules of the registry with their values (few, so the fast path often still applies). */
const othersArbitrary = fc
  .subarray(
    COLUMN_RULES.map((r) => r.key),
    { maxLength: 3 },
  )
  .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, VALUES[k] as fc.Arbitrary<unknown>]))));

function column(type: "integer" | "float", rules: ColumnRules): ColumnSchema {
  return {
    name: "x",
    type: rules.type === "integer" || rules.type === "float" ? rules.type : type,
    role: rules.drop ? "dropped" : "feature",
    missing: 0,
    unique: 0,
    uniqueCapped: false,
  };
}

describe("the fast path for plain numbers agrees with the string path, rule by rule", () => {
  it("has a value generator for every rule of the registry", () => {
    for (const r of COLUMN_RULES) expect(VALUES, `add a generator for ${r.key}`).toHaveProperty(r.key);
  });

  it.each(COLUMN_RULES.map((r) => r.key))("%s, alone and with others", (key) => {
    let fastPassed = 0;
    let compared = 0;
    fc.assert(
      fc.property(
        fc.constantFrom("integer" as const, "float" as const),
        othersArbitrary,
        VALUES[key] as fc.Arbitrary<unknown>,
        fc.array(numberText, { minLength: 1, maxLength: 20 }),
        (type, others, value, texts) => {
          const rules = { ...others, [key]: value } as ColumnRules;
          const schema = column(type, rules);
          const special = rules.discretize !== undefined;
          if (!leavesPlainNumbers(DEFAULT_MISSING_TOKENS, rules)) return; // numbers go the string path
          const fast = makeFastCheck(schema, rules, special);
          if (!fast) return; // no fast path for this column
          const normalise = makeCellNormaliser(DEFAULT_MISSING_TOKENS, rules);
          const check = makeChecker(schema, rules);
          for (const text of texts) {
            const n = Number(text);
            const fastPasses = fast(n, numberKind(text) === 2);
            const normalised = normalise(text);
            const fault = check?.(normalised);
            compared++;
            if (!fastPasses) continue; // the string path decides this one, as for any value
            fastPassed++;
            if (schema.role === "dropped") continue; // nothing of a dropped column is checked or written
            // Through the string path: passes, and written as it was.
            expect(fault, `${JSON.stringify(rules)} on "${text}" (${type})`).toBeUndefined();
            expect(normalised, `${JSON.stringify(rules)} on "${text}" (${type})`).toBe(text);
          }
        },
      ),
      { numRuns: 200 },
    );
    // The property saw the fast path at work, unless the rule itself always turns it off.
    const rule = COLUMN_RULES.find((r) => r.key === key);
    const off = rule && typeof rule.plainNumbers === "string" && (rule.plainNumbers === "changes" || rule.plainNumbers === "decides");
    if (!off) expect(fastPassed, `${key}: the fast path was never taken in ${compared} numbers`).toBeGreaterThan(50);
  });
});
