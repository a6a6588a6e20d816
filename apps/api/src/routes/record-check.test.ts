import type { InputFields, PipeModel } from "@pipe/model";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { titanicModel } from "../../test/model-fixture.js";
import { recordAcceptor } from "./record-check.js";
import { apiSchemas } from "./schemas.js";

/** Every kind of field: numbers, plain, numeric-looking and true/false categories, dates, lenient numbers and dates, an ignored column. */
const FIELDS: InputFields = {
  features: [
    { name: "age", type: "number", required: false, min: 0, max: 90 },
    { name: "city", type: "string", required: false, categories: ["Oslo", "Lima"] },
    { name: "grade", type: "string", required: false, categories: ["1", "2", "3"], numeric_levels: true },
    { name: "member", type: "string", required: false, categories: ["true", "false"], boolean_levels: true },
    { name: "visit", type: "string", required: false, format: "date", earliest: "2020-01-01", latest: "2024-12-31" },
    // Trained with etl.onTypeMismatch "missing": text the type cannot read is missing, not refused.
    { name: "dose", type: "number", required: false, min: 0, max: 5, unreadable: "missing" },
    { name: "seen", type: "string", required: false, format: "date", earliest: "2020-01-01", latest: "2024-12-31", unreadable: "missing" },
  ],
  ignored: [{ name: "id", reason: "dropped by the ETL: unique" }],
};
const fakeModel = { inputFields: FIELDS, state: { target: "y", positiveClass: "1", calibration: null, boosting: null } } as unknown as PipeModel;

const values = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(
    "",
    " ",
    "\u00a0",
    "\t\n",
    "12",
    " -3.5e2 ",
    ".5",
    "1.",
    "+7",
    "1e",
    "abc",
    "Oslo",
    "true",
    "1",
    "NaN",
    "Infinity",
    "2023-02-28",
    "2023-02-30",
    "2024-12-31 08:30",
  ),
  fc.string({ maxLength: 6 }),
  fc.constant("x".repeat(1001)),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
);

function records(names: string[]) {
  return fc.dictionary(fc.constantFrom(...names, "unknown", "__proto__"), values, { maxKeys: 6 });
}

/** The acceptor never says yes where the schema says no, nor to a record the schema would change. */
function agreesWithSchema(model: PipeModel, names: string[], unknownFields: "reject" | "ignore") {
  const schemas = apiSchemas(model, { unknownFields });
  const accepts = recordAcceptor(model.inputFields, unknownFields);
  let yes = 0;
  let zodYes = 0;
  fc.assert(
    fc.property(records(names), (record) => {
      const parsed = schemas.record.safeParse(record);
      // A "__proto__" key is left to zod (see recordAcceptor): not counted against the quick path.
      if (parsed.success && !Object.hasOwn(record, "__proto__")) zodYes++;
      if (!accepts(record)) return;
      if (!Object.hasOwn(record, "__proto__")) yes++;
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual({ ...record });
    }),
    { numRuns: 3000, seed: 7 },
  );
  // The quick path takes most of what zod takes: it is the path valid traffic goes.
  expect(yes).toBeGreaterThan(0.9 * zodYes);
}

describe("recordAcceptor", () => {
  const names = [...FIELDS.features.map((f) => f.name), "id"];

  it("accepts only what the record schema accepts unchanged (every field kind, strict and lenient)", () => {
    agreesWithSchema(fakeModel, names, "reject");
    agreesWithSchema(fakeModel, names, "ignore");
  });

  it("says no to what zod must explain", () => {
    const accepts = recordAcceptor(FIELDS);
    expect(accepts({ age: 30, city: "Oslo" })).toBe(true);
    expect(accepts({ age: " 30 ", grade: 2, member: true, id: [1] })).toBe(true);
    for (const bad of [{}, { id: 3 }, { age: "" }, { age: "thirty" }, { city: 3 }, { member: 1 }, { grade: false }, { unknown: 1, age: 3 }, [], null, "x"])
      expect(accepts(bad)).toBe(false);
    // A word where a number or date goes: refused, unless the training run read such cells as missing.
    expect(accepts({ visit: "soon" })).toBe(false);
    expect(accepts({ dose: "high", seen: "soon" })).toBe(true);
    for (const bad of [{ dose: true }, { dose: "x".repeat(1001) }, { seen: 3 }]) expect(accepts(bad)).toBe(false);
  });

  describe("on a trained model", () => {
    let fixture: Awaited<ReturnType<typeof titanicModel>>;
    beforeAll(async () => {
      fixture = await titanicModel();
    });
    afterAll(() => fixture.cleanup());

    it("agrees with its record schema", () => {
      const fields = fixture.model.inputFields;
      agreesWithSchema(fixture.model, [...fields.features.map((f) => f.name), ...fields.ignored.map((f) => f.name)], "reject");
    });
  });
});
