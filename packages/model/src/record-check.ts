import type { FeatureSchemaEntry } from "./model.js";

/** A column of the training file that the model does not use (dropped by the ETL, or the target), and why. */
export interface IgnoredField {
  name: string;
  reason: string;
}

/** What a record may hold: the fields the model uses, and the training file's other columns. */
export interface InputFields {
  features: readonly FeatureSchemaEntry[];
  ignored: readonly IgnoredField[];
}

export interface FieldIssue {
  /** JSON path of the field, e.g. `records[3].tenure`. */
  path: string;
  message: string;
}

export interface RecordCheck {
  errors: FieldIssue[];
  /** Said back with the prediction: fields accepted and ignored. */
  warnings: string[];
}

export interface RecordCheckOptions {
  /** A field the training file never had: an error (default), or ignored with a warning. */
  unknownFields?: "reject" | "ignore";
  /** Path prefix of the record in the request (`records[3]`). */
  at?: string;
}

const MAX_STRING = 1000;

/**
 * Checks a raw record — a JSON object as a client sends it, or a CSV row — against what the model
 * was trained on. The rules:
 * - a field the model uses: a number for a numeric feature (a numeric string such as "2.5" too; ""
 *   and null are missing, imputed with a warning); a string for a categorical one, or a JSON number
 *   where every category seen in training is numeric-looking (1 matches "1" and "1.0"), or a boolean
 *   where they are true/false. Anything else is an error naming the field.
 * - a column of the training file the model does not use (an identifier, a constant or free-text
 *   column the ETL dropped, the target): accepted and ignored, with a warning naming it.
 * - a field the training file never had: an error naming it (or ignored with a warning).
 * - a record without any field the model uses: an error (every prediction would be the imputed
 *   average customer).
 */
export function checkRecord(record: unknown, fields: InputFields, options: RecordCheckOptions = {}): RecordCheck {
  const at = options.at ?? "";
  const prefix = at ? `${at}.` : "";
  const errors: FieldIssue[] = [];
  const warnings: string[] = [];
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    errors.push({ path: at || "(body)", message: `must be a JSON object with the model's fields, got ${describe(record)}` });
    return { errors, warnings };
  }
  const rec = record as Record<string, unknown>;
  const features = new Map(fields.features.map((f) => [f.name, f]));
  const ignored = new Map(fields.ignored.map((f) => [f.name, f.reason]));
  const ignoredSeen: string[] = [];
  const unknownSeen: string[] = [];
  let used = 0;
  for (const [key, value] of Object.entries(rec)) {
    const feature = features.get(key);
    if (feature) {
      if (value !== null && value !== undefined && !(typeof value === "string" && value.trim() === "")) used++;
      const problem = valueProblem(value, feature);
      if (problem) errors.push({ path: `${prefix}${key}`, message: problem });
    } else if (ignored.has(key)) ignoredSeen.push(`${key} (${ignored.get(key)})`);
    else if (options.unknownFields === "ignore") unknownSeen.push(key);
    else {
      errors.push({
        path: `${prefix}${key}`,
        message: `unknown field: the training data had no such column; the model uses ${fields.features.map((f) => f.name).join(", ")}${
          fields.ignored.length ? ` and ignores ${fields.ignored.map((f) => f.name).join(", ")}` : ""
        }`,
      });
    }
  }
  if (used === 0 && errors.length === 0) {
    errors.push({
      path: at || "(body)",
      message: `the record has none of the model's fields (${fields.features.map((f) => f.name).join(", ")}); send at least one`,
    });
  }
  if (ignoredSeen.length) warnings.push(`ignored (not used by the model): ${ignoredSeen.join(", ")}`);
  if (unknownSeen.length) warnings.push(`ignored unknown fields: ${unknownSeen.join(", ")}`);
  return { errors, warnings };
}

/** Why a value cannot be this feature's, or undefined when it can. */
function valueProblem(value: unknown, f: FeatureSchemaEntry): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (f.type === "number") {
    if (typeof value === "number") return Number.isFinite(value) ? undefined : "must be a finite number";
    if (typeof value === "string") {
      const t = value.trim();
      if (t === "" || Number.isFinite(Number(t))) return undefined;
      return `must be a number, got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
    }
    return `must be a number, got ${describe(value)}`;
  }
  if (typeof value === "string") return value.length > MAX_STRING ? `must be at most ${MAX_STRING} characters` : undefined;
  if (typeof value === "number" && f.numeric_levels) return Number.isFinite(value) ? undefined : "must be a finite number";
  if (typeof value === "boolean" && f.boolean_levels) return undefined;
  const shown = (f.categories ?? []).slice(0, 8).map((c) => JSON.stringify(c));
  return `must be a string (one of the categories seen in training: ${shown.join(", ")}${(f.categories?.length ?? 0) > 8 ? ", …" : ""}), got ${describe(value)} ${JSON.stringify(value)}`;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : typeof v;
}
