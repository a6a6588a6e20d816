import { z } from "@hono/zod-openapi";
import { type FeatureSchemaEntry, type PipeModel, spelledAs } from "@pipe/model";
import type { FieldError } from "../problem.js";

import { BLANK, isDateOrBlank, isNumberOrBlank, MAX_STRING, recordAcceptor } from "./record-check.js";

/** A value given and not blank: the record uses this field. */
const given = (v: unknown) => v !== null && v !== undefined && !(typeof v === "string" && BLANK.test(v));

/** What the description adds for a field whose unreadable values are missing (see FeatureSchemaEntry.unreadable). */
const UNREADABLE_AS_MISSING = ", as the training run read such cells (etl.onTypeMismatch: missing)";

/** How the training file wrote a number in a local form, as a field's description and messages show it. */
const FORM_EXAMPLES = { "decimal comma": "29,85", "grouped decimal comma": "1.234,56", "grouped thousands": "1,234.56" } as const;

function numericField(f: FeatureSchemaEntry) {
  const lenient = f.unreadable === "missing";
  const local = f.number_form ? `, or as the training file wrote it: ${FORM_EXAMPLES[f.number_form]}` : "";
  const error = (issue: { input?: unknown }) =>
    typeof issue.input === "number"
      ? "must be a finite number"
      : lenient && typeof issue.input === "string"
        ? `must be at most ${MAX_STRING} characters`
        : `must be a number${local ? ` (or numeric text${local})` : ""}, got ${describe(issue.input)}`;
  const text = lenient ? z.string().max(MAX_STRING) : z.string().refine((v) => isNumberOrBlank(v, f.number_form), { error });
  return z
    .union([z.number(), text], { error })
    .nullable()
    .optional()
    .openapi({
      description: `${
        f.bins
          ? `Used. A number (or numeric text${local}), cut into the training's bins ${f.bins.labels.join(" ")} and read as its bin; missing → as in training (with a warning)`
          : `Used. A number (or numeric text${local}); training range [${f.min}, ${f.max}]; missing → training median (with a warning)`
      }${lenient ? `; text that is not a number is missing${UNREADABLE_AS_MISSING}` : ""}`,
    });
}

/**
 * A date field: ISO text, or a local form as the training file wrote dates, that the model reads as its parts
 * (an impossible date such as 2023-02-30 is refused here, not scored, unless training read such cells as missing).
 */
function dateField(f: FeatureSchemaEntry) {
  const lenient = f.unreadable === "missing";
  // The training file's own form first: a client sending its rows as they are writes dates so.
  const local =
    f.date_order === "day first" ? "; or as the training file, 31/12/2024" : f.date_order === "month first" ? "; or as the training file, 12/31/2024" : "";
  const wrong = (input: unknown) =>
    lenient && typeof input === "string"
      ? `must be at most ${MAX_STRING} characters`
      : `must be a date as text (2024-12-31, or 2024-12-31 08:30${local}), got ${describe(input)}`;
  const text = z.string({ error: (issue) => wrong(issue.input) });
  return (
    lenient
      ? text.max(MAX_STRING, { error: (issue) => wrong(issue.input) })
      : text.refine((v) => isDateOrBlank(v, f.date_order), { error: (issue) => wrong(issue.input) })
  )
    .nullable()
    .optional()
    .openapi({
      format: "date",
      description: `Used. A date (ISO: 2024-12-31, or with a time${local}; 2024/12/31 and Jan 1 2000 too), read as its day count, month, weekday (and hour); training range [${f.earliest}, ${f.latest}]; missing → each part's training median (with a warning)${
        lenient ? `; text that is not a date is missing${UNREADABLE_AS_MISSING}` : ""
      }`,
    });
}

function categoricalField(f: FeatureSchemaEntry) {
  const shown = (f.categories ?? []).slice(0, 8).map((c) => JSON.stringify(c));
  const wrong = (issue: { input?: unknown }) =>
    typeof issue.input === "string"
      ? `must be at most ${MAX_STRING} characters`
      : `must be a string (one of the categories seen in training: ${shown.join(", ")}${(f.categories?.length ?? 0) > 8 ? ", …" : ""}), got ${describe(issue.input)}`;
  const text = z.string().max(MAX_STRING);
  const value = f.numeric_levels ? z.union([text, z.number()], { error: wrong }) : f.boolean_levels ? z.union([text, z.boolean()], { error: wrong }) : text;
  const accepts = f.numeric_levels ? ' (or a number, matched by value: 1 is "1")' : f.boolean_levels ? " (or a boolean)" : "";
  return (f.numeric_levels || f.boolean_levels ? value : z.string({ error: wrong }).max(MAX_STRING, { error: wrong }))
    .nullable()
    .optional()
    .openapi({
      description: `Used. A category${accepts}; seen in training: ${(f.categories ?? []).slice(0, 30).join(", ")}; other values are answered with a warning`,
    });
}

/**
 * The API's schemas, built once per model. The record schema is the model's input fields: the fields
 * it uses (typed, with the checks and messages a client sees in a 422), the training file's columns
 * it ignores (any value, named in the warnings), no other field unless the service ignores them, and
 * at least one used field. It validates requests and is the OpenAPI document's `Record`.
 */
export function apiSchemas(model: PipeModel, options: { unknownFields?: "reject" | "ignore" } = {}) {
  const fields = model.inputFields;
  const used = Object.fromEntries(
    fields.features.map((f) => [f.name, f.type === "number" ? numericField(f) : f.format === "date" ? dateField(f) : categoricalField(f)]),
  );
  const ignored = Object.fromEntries(
    fields.ignored.map((f) => [
      f.name,
      z
        .unknown()
        .optional()
        .openapi({ description: `Ignored: ${f.reason} (accepted so a raw record can be sent as it is)` }),
    ]),
  );
  const shape = { ...used, ...ignored };
  const names = fields.features.map((f) => f.name);
  const object = options.unknownFields === "ignore" ? z.looseObject(shape) : z.strictObject(shape);
  const record = object
    .refine((r) => names.some((n) => given((r as Record<string, unknown>)[n])), {
      message: `the record has none of the model's fields (${names.join(", ")}); send at least one`,
    })
    .openapi("Record", {
      description: `One raw record of the ${model.state.target} model's input: at least one used field; missing ones are imputed. ${
        options.unknownFields === "ignore" ? "Other fields are ignored with a warning." : "Fields the training data did not have are refused (422)."
      }`,
    });
  const explanation = z
    .object({
      base_value: z.number().openapi({ description: "The model's expected score over the training rows (nothing known about the record)" }),
      score: z.number().openapi({
        description: model.linear
          ? `The logistic regression's log-odds of ${model.state.positiveClass}; the probability is its sigmoid`
          : model.state.boosting
            ? `The boosted trees' log-odds of ${model.state.positiveClass}; the probability is its sigmoid`
            : `The forest's score: the mean of its trees' votes for ${model.state.positiveClass}${
                model.state.calibration ? "; the probability is this score calibrated (a monotone map)" : " (equal to the probability)"
              }`,
      }),
      contributions: z
        .array(
          z.object({
            column: z.string(),
            value: z.union([z.number(), z.string(), z.boolean()]).nullable().openapi({ description: "The record's value (null: missing, imputed)" }),
            contribution: z.number().openapi({ description: "Exact Shapley value (TreeSHAP): how far knowing this column moved the score" }),
          }),
        )
        .openapi({ description: "Largest magnitude first; a missing-value indicator is part of its column" }),
      rest: z.number().openapi({ description: "The sum of the contributions of the columns left out by a top-k request (0 for all)" }),
    })
    .openapi("Explanation");
  const prediction = z
    .object({
      prediction: z.union([z.literal(0), z.literal(1)]).openapi({ description: `1 when the label is the positive class "${model.state.positiveClass}"` }),
      label: z.string(),
      probability: z
        .number()
        .min(0)
        .max(1)
        .openapi({ description: `P(${model.state.target} = ${model.state.positiveClass})${model.state.calibration ? ", calibrated" : ""}` }),
      model_version: z.string(),
      warnings: z.array(z.string()).openapi({ description: "Imputed or unseen values, ignored fields" }),
      explanation: explanation.optional().openapi({ description: "With `?explain`: why the model scored the record so" }),
    })
    .openapi("Prediction");
  const problem = z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      detail: z.string(),
      instance: z.string(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    })
    .openapi("Problem");
  return {
    record,
    /** A quick yes for a record `record` accepts unchanged (see recordAcceptor); a no goes to `record` for its messages. */
    acceptsRecord: recordAcceptor(fields, options.unknownFields),
    prediction,
    problem,
    usedNames: names,
    /** `usedNames` to look up (a record's every key is, on every request). */
    used: new Set(names),
    ignoredNames: new Map(fields.ignored.map((f) => [f.name, f.reason])),
  };
}

export type ApiSchemas = ReturnType<typeof apiSchemas>;

/** The warnings a valid record earns before prediction: the fields it holds that are not used. */
export function fieldWarnings(record: Record<string, unknown>, s: ApiSchemas): string[] {
  const ignored: string[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(record)) {
    if (s.used.has(key)) continue;
    const reason = s.ignoredNames.get(key);
    if (reason !== undefined) ignored.push(`${key} (${reason})`);
    else unknown.push(key);
  }
  const out: string[] = [];
  if (ignored.length) out.push(`ignored (not used by the model): ${ignored.join(", ")}`);
  if (unknown.length) out.push(`ignored unknown fields: ${unknown.map((k) => withSpelling(k, s)).join(", ")}`);
  return out;
}

/** "did you mean …?" for a field that spells one of the model's otherwise (case, spaces, underscores); "" when none does. */
function spellingHint(key: string, s: ApiSchemas): string {
  const meant = spelledAs(key, [...s.usedNames, ...s.ignoredNames.keys()]);
  return meant === undefined ? "" : `did you mean ${JSON.stringify(meant)}? (fields are matched as written); `;
}

function withSpelling(key: string, s: ApiSchemas): string {
  const meant = spelledAs(key, [...s.usedNames, ...s.ignoredNames.keys()]);
  return meant === undefined ? key : `${key} (did you mean ${JSON.stringify(meant)}?)`;
}

/** A zod path as a JSON path: `records[3].tenure`. */
function jsonPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const k of segments) out += typeof k === "number" ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out;
}

/** A failed validation as field errors: the JSON path of each field and what is wrong with it. */
export function fieldErrors(error: z.ZodError, s: ApiSchemas, at = "", body = "a JSON object with the model's fields"): FieldError[] {
  const prefix = at ? `${at}.` : "";
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          path: `${prefix}${jsonPath([...issue.path, key])}`,
          message: `unknown field: the training data had no such column; ${spellingHint(key, s)}the model uses ${s.usedNames.join(", ")}${
            s.ignoredNames.size ? ` and ignores ${[...s.ignoredNames.keys()].join(", ")}` : ""
          }`,
        });
      }
      continue;
    }
    const path = jsonPath(issue.path);
    out.push({
      path: path ? `${prefix}${path}` : at || "(body)",
      message: issue.code === "invalid_type" && !path ? `must be ${body}, got ${describe(issue.input)}` : issue.message,
    });
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === "object" ? "an object" : typeof v;
}
