import type { FeatureSchemaEntry } from "@pipe/model";
import type { FieldError } from "./problem.js";

const MAX_STRING = 1000;

/**
 * Checks one record against the model's feature schema: an object, no unknown fields, numbers finite,
 * strings for categories (numbers accepted where a category is numeric-looking), nulls allowed (imputed).
 */
export function validateRecord(record: unknown, schema: readonly FeatureSchemaEntry[], at = ""): FieldError[] {
  const errors: FieldError[] = [];
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    errors.push({ path: at || "(body)", message: `must be a JSON object with the model's fields, got ${describe(record)}` });
    return errors;
  }
  const known = new Map(schema.map((f) => [f.name, f]));
  const prefix = at ? `${at}.` : "";
  for (const key of Object.keys(record)) {
    if (!known.has(key)) errors.push({ path: `${prefix}${key}`, message: `unknown field; the model's fields are: ${schema.map((f) => f.name).join(", ")}` });
  }
  const rec = record as Record<string, unknown>;
  for (const f of schema) {
    if (!Object.hasOwn(rec, f.name)) continue;
    const v = rec[f.name];
    if (v === null) continue;
    const path = `${prefix}${f.name}`;
    if (f.type === "number") {
      if (typeof v !== "number") errors.push({ path, message: `must be a number, got ${describe(v)}` });
      else if (!Number.isFinite(v)) errors.push({ path, message: "must be a finite number" });
    } else if (typeof v === "string") {
      if (v.length > MAX_STRING) errors.push({ path, message: `must be at most ${MAX_STRING} characters` });
    } else if (typeof v !== "number" && typeof v !== "boolean") {
      errors.push({ path, message: `must be a string (one of the categories), got ${describe(v)}` });
    }
  }
  return errors;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : typeof v;
}
