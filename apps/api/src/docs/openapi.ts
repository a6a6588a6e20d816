import type { PipeModel } from "@pipe/model";
import { z } from "zod";

function schemaOf(s: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/**
 * The zod schemas of the API's bodies; the record schema comes from the model's input fields: the
 * ones it uses (typed), the training file's columns it ignores (any value), and — unless the service
 * ignores them — no other field.
 */
export function apiSchemas(model: PipeModel, options: { unknownFields?: "reject" | "ignore" } = {}) {
  const used = model.featureSchema.map((f) => {
    if (f.type === "number") {
      return [
        f.name,
        z
          .union([z.number(), z.string().regex(/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*$/)])
          .nullable()
          .optional()
          .describe(`Used. A number (or numeric text); training range [${f.min}, ${f.max}]; missing → training median (with a warning)`),
      ] as const;
    }
    const text = z.string().max(1000);
    const value = f.numeric_levels ? z.union([text, z.number()]) : f.boolean_levels ? z.union([text, z.boolean()]) : text;
    const accepts = f.numeric_levels ? " (or a number, matched by value)" : f.boolean_levels ? " (or a boolean)" : "";
    return [
      f.name,
      value
        .nullable()
        .optional()
        .describe(`Used. A category${accepts}; seen in training: ${(f.categories ?? []).slice(0, 30).join(", ")}; other values are answered with a warning`),
    ] as const;
  });
  const ignored = model.inputFields.ignored.map(
    (f) => [f.name, z.unknown().optional().describe(`Ignored: ${f.reason} (accepted so a raw record can be sent as it is)`)] as const,
  );
  const shape = z.object(Object.fromEntries([...used, ...ignored]));
  const record = (options.unknownFields === "ignore" ? shape.loose() : shape.strict()).describe(
    `One raw record of the ${model.state.target} model's input: at least one used field; missing ones are imputed. ${
      options.unknownFields === "ignore" ? "Other fields are ignored with a warning." : "Fields the training data did not have are refused (422)."
    }`,
  );
  const prediction = z.object({
    prediction: z.union([z.literal(0), z.literal(1)]).describe(`1 when the label is the positive class "${model.state.positiveClass}"`),
    label: z.string(),
    probability: z.number().min(0).max(1).describe(`P(${model.state.target} = ${model.state.positiveClass})`),
    model_version: z.string(),
    warnings: z.array(z.string()),
  });
  const problem = z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  });
  const batchRequest = z.object({ records: z.array(record).min(1) });
  const batchResponse = z.object({ model_version: z.string(), predictions: z.array(prediction) });
  const health = z.object({ status: z.string() });
  return { record, prediction, problem, batchRequest, batchResponse, health };
}

/** OpenAPI 3.1 document of the service, generated from the zod schemas above. */
export function openApiDocument(model: PipeModel, options: { maxBatch: number; bodyLimit: number; auth: boolean; unknownFields?: "reject" | "ignore" }) {
  const s = apiSchemas(model, options.unknownFields ? { unknownFields: options.unknownFields } : {});
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const problems = (...codes: number[]) =>
    Object.fromEntries(
      codes.map((code) => [String(code), { description: DESCRIPTIONS[code], content: { "application/problem+json": { schema: ref("Problem") } } }]),
    );
  const json = (name: string) => ({ content: { "application/json": { schema: ref(name) } } });
  return {
    openapi: "3.1.0",
    info: {
      title: `pipe prediction service: ${model.state.target}`,
      version: model.version,
      description: `Random forest (${model.state.forest.trees.length} trees) predicting ${model.state.target} = ${model.state.positiveClass}. Bodies up to ${options.bodyLimit} bytes; batches up to ${options.maxBatch} records.`,
    },
    ...(options.auth ? { security: [{ bearer: [] }, { apiKey: [] }] } : {}),
    paths: {
      "/predict": {
        post: {
          summary: "Score one record",
          requestBody: { required: true, ...json("Record") },
          responses: { "200": { description: "The prediction", ...json("Prediction") }, ...problems(400, 401, 413, 415, 422) },
        },
      },
      "/predict/batch": {
        post: {
          summary: "Score several records",
          requestBody: { required: true, ...json("BatchRequest") },
          responses: { "200": { description: "One prediction per record, in order", ...json("BatchResponse") }, ...problems(400, 401, 413, 415, 422) },
        },
      },
      "/health": { get: { summary: "Liveness", security: [], responses: { "200": { description: "Alive", ...json("Health") } } } },
      "/ready": { get: { summary: "Readiness: the model is loaded", security: [], responses: { "200": { description: "Ready", ...json("Health") } } } },
      "/model": {
        get: {
          summary: "Model metadata, metrics and feature schema",
          responses: { "200": { description: "Model card data", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics",
          responses: { "200": { description: "Text exposition format", content: { "text/plain": { schema: { type: "string" } } } } },
        },
      },
    },
    components: {
      schemas: {
        Record: schemaOf(s.record),
        Prediction: schemaOf(s.prediction),
        BatchRequest: {
          type: "object",
          properties: { records: { type: "array", minItems: 1, maxItems: options.maxBatch, items: ref("Record") } },
          required: ["records"],
          additionalProperties: false,
        },
        BatchResponse: {
          type: "object",
          properties: { model_version: { type: "string" }, predictions: { type: "array", items: ref("Prediction") } },
          required: ["model_version", "predictions"],
        },
        Problem: schemaOf(s.problem),
        Health: schemaOf(s.health),
      },
      securitySchemes: { bearer: { type: "http", scheme: "bearer" }, apiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
    },
  };
}

const DESCRIPTIONS: Record<number, string> = {
  400: "Malformed JSON",
  401: "Missing or wrong API key",
  413: "Body or batch too large",
  415: "Not application/json",
  422: "The record does not fit the model's feature schema; `errors` names each field",
};
