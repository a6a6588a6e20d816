import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface FieldError {
  /** JSON path of the offending field, e.g. `records[3].tenure`. */
  path: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: "Malformed JSON",
  401: "Unauthorized",
  404: "Not found",
  405: "Method not allowed",
  413: "Body too large",
  415: "Unsupported media type",
  422: "Invalid record",
  500: "Internal error",
  503: "Not ready",
};

/** An RFC 9457 problem document (application/problem+json). */
export function problem(c: Context, status: ContentfulStatusCode, detail: string, errors?: FieldError[]) {
  const body = {
    type: `https://pipe.dev/problems/${status}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    instance: c.req.path,
    ...(errors ? { errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json" });
}
