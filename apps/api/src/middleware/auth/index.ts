import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { problem } from "../../problem.js";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compare equal-length buffers only; the length check leaks nothing a key's owner does not know.
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * API keys: `Authorization: Bearer KEY` or `x-api-key: KEY`, compared in constant time.
 * `open` paths (health checks, docs) need no key.
 */
export function apiKeys(keys: readonly string[], open: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (open.includes(c.req.path)) return next();
    const auth = c.req.header("authorization");
    const presented = auth?.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : c.req.header("x-api-key");
    if (!presented || !keys.some((k) => safeEqual(k, presented))) {
      c.header("www-authenticate", 'Bearer realm="pipe"');
      return problem(c, 401, "send a valid API key as `Authorization: Bearer KEY` or `x-api-key: KEY`");
    }
    return next();
  };
}
