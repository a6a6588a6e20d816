import type { RouteConfig, z } from "@hono/zod-openapi";
import { FeatureError } from "@pipe/model";
import type { Context } from "hono";
import { problem } from "../problem.js";
import type { ApiApp, RouteContext } from "./context.js";
import { fieldErrors } from "./schemas.js";

/** The media types a JSON body may be sent as: application/json and application/<anything>+json. */
export const JSON_MEDIA_TYPE = /^application\/(.+\+)?json\b/i;

/** A POST route whose JSON body is validated by `schema`, which is also its documented request body. */
export interface JsonRoute<S extends z.ZodType> {
  route: RouteConfig & { method: "post" };
  schema: S;
  /** A refusal before validation (e.g. a batch over the limit: 413 before its records are checked). */
  refuse?: (value: unknown, c: Context) => Response | undefined;
  /**
   * A quick yes for a body `schema` accepts unchanged (its output equals the body): the handler gets
   * the body without zod's pass. A no sends the body to `schema`, which accepts it or says why not.
   */
  accepts?: (value: unknown) => boolean;
  /** The 422's title line, naming what did not fit. */
  invalid: (error: z.ZodError) => string;
  /** What the body must be, for a body of another JSON type (default: "a JSON object with the model's fields"). */
  body?: string;
  handler: (c: Context, body: z.output<S>) => Response | Promise<Response>;
}

/**
 * Registers a JSON POST route: its OpenAPI path (documenting `schema`) and a handler chain that checks
 * the media type (415), the size (413, from the declared length or the bytes read), the syntax (400),
 * the route's own refusal, then the schema (422 naming each field).
 *
 * The body is parsed once and validated with zod's synchronous parser; the validator `app.openapi`
 * mounts would read the body again, parse it again and validate asynchronously, which cost /predict
 * about a sixth of its throughput. The document still comes from the schema that validates.
 */
export function registerJsonRoute<S extends z.ZodType>(app: ApiApp, ctx: RouteContext, spec: JsonRoute<S>): void {
  const { route, schema } = spec;
  app.openAPIRegistry.registerPath(route);
  app.post(route.path, async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_MEDIA_TYPE.test(type)) {
      return problem(c, 415, `send the body as application/json (got ${type ? `"${type}"` : "no content type"})`);
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > ctx.bodyLimit) return problem(c, 413, `the body is ${declared} bytes; the limit is ${ctx.bodyLimit}`);
    // text() takes the node server's fast path (arrayBuffer() goes through web streams); bodies
    // without a content-length are capped by the app's bodyLimit middleware while they stream in.
    const text = await c.req.text();
    if (Buffer.byteLength(text) > ctx.bodyLimit) return problem(c, 413, `the body is over the ${ctx.bodyLimit}-byte limit`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return problem(c, 400, `the body is not valid JSON: ${(error as Error).message}`);
    }
    const refused = spec.refuse?.(value, c);
    if (refused) return refused;
    let body: z.output<S>;
    if (spec.accepts?.(value)) body = value as z.output<S>;
    else {
      const result = schema.safeParse(value, { reportInput: true });
      if (!result.success) return problem(c, 422, spec.invalid(result.error), fieldErrors(result.error, ctx.schemas, "", spec.body).slice(0, 100));
      body = result.data;
    }
    try {
      return await spec.handler(c, body);
    } catch (error) {
      // The schema and the model read a field alike; should they ever differ, the model's refusal of a
      // value is still the request's fault (a 422 naming the field), never the service's 500.
      if (error instanceof FeatureError) return problem(c, 422, "a field's value cannot be read by the model", [{ path: error.field, message: error.message }]);
      throw error;
    }
  });
}
