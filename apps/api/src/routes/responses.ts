import type { ApiSchemas } from "./schemas.js";

const DESCRIPTIONS: Record<number, string> = {
  400: "Malformed JSON",
  401: "Missing or wrong API key",
  413: "Body or batch too large",
  415: "Not application/json",
  422: "The record does not fit the model's input fields; `errors` names each field",
};

/** The problem-document responses of a route, by status (RFC 9457, application/problem+json). */
export function problems(s: ApiSchemas, ...codes: number[]) {
  return Object.fromEntries(
    codes.map((code) => [code, { description: DESCRIPTIONS[code] ?? "Error", content: { "application/problem+json": { schema: s.problem } } }]),
  );
}

/** The statuses every POST with a JSON body can answer besides its success. */
export const BODY_PROBLEMS = [400, 401, 413, 415, 422] as const;
