import type { Context, MiddlewareHandler } from "hono";
import { problem } from "../problem.js";

/**
 * The checks every JSON body passes before its schema: the media type (415), the size (413, from the
 * declared length or the bytes read), the syntax (400), and a route's own early refusal (`refuse`,
 * e.g. a batch over the limit: 413 before its records are validated). The parsed body is then
 * validated by the route's zod schema, whose failures are 422s (the app's `defaultHook`).
 */
export function jsonBody(bodyLimit: number, refuse?: (value: unknown, c: Context) => Response | undefined): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      return problem(c, 415, `send the body as application/json (got ${type ? `"${type}"` : "no content type"})`);
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > bodyLimit) return problem(c, 413, `the body is ${declared} bytes; the limit is ${bodyLimit}`);
    // text() takes the node server's fast path (arrayBuffer() goes through web streams); bodies
    // without a content-length are capped by the app's bodyLimit middleware while they stream in.
    const text = await c.req.text();
    if (Buffer.byteLength(text) > bodyLimit) return problem(c, 413, `the body is over the ${bodyLimit}-byte limit`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return problem(c, 400, `the body is not valid JSON: ${(error as Error).message}`);
    }
    const refused = refuse?.(value, c);
    if (refused) return refused;
    await next();
  };
}
