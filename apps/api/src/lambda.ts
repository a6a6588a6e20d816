import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PipeModel } from "@pipe/model";
import { handle } from "hono/aws-lambda";
import { createApp } from "./app.js";
import { optionsFromEnv } from "./env.js";

// AWS Lambda entry (API Gateway HTTP/REST APIs or a function URL): the model is read once per
// container, at the first invocation, from MODEL_PATH (on EFS, say) or else from the model.json
// that `pnpm bundle:lambda` puts beside the handler.
let cached: ReturnType<typeof handle> | undefined;

function app(): ReturnType<typeof handle> {
  if (!cached) {
    const beside = join(dirname(fileURLToPath(import.meta.url)), "model.json");
    const modelPath = process.env.MODEL_PATH ?? (existsSync(beside) ? beside : "model.json");
    const model = PipeModel.parse(readFileSync(modelPath), modelPath);
    const { apiKeys, corsOrigins, bodyLimit, maxBatch, unknownFields, driftWindow } = optionsFromEnv();
    cached = handle(
      createApp({
        model,
        ...(apiKeys?.length ? { apiKeys } : {}),
        ...(corsOrigins?.length ? { corsOrigins } : {}),
        ...(bodyLimit ? { bodyLimit } : {}),
        ...(maxBatch ? { maxBatch } : {}),
        ...(unknownFields ? { unknownFields } : {}),
        ...(driftWindow !== undefined ? { driftWindow } : {}),
      }),
    );
  }
  return cached;
}

export const handler: ReturnType<typeof handle> = (event, context) => app()(event, context);
