import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { problem } from "../../problem.js";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compare equal-length buffers only; the length check leaks nothing a key's owner does not know.
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the request's `Authorization: Bearer KEY` (else its `x-api-key`) is one of `keys`, compared in constant time. */
export function presentsKey(keys: readonly string[], authorization: string | undefined, apiKey: string | undefined): boolean {
  const presented = authorization?.toLowerCase().startsWith("bearer ") ? authorization.slice(7).trim() : apiKey;
  if (!presented) return false;
  return keys.some((k) => safeEqual(k, presented));
}

/**
 * API keys: `Authorization: Bearer KEY` or `x-api-key: KEY`, compared in constant time.
 * `open` paths (health checks, docs) need no key.
 */
export function apiKeys(keys: readonly string[], open: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (open.includes(c.req.path)) return next();
    if (!presentsKey(keys, c.req.header("authorization"), c.req.header("x-api-key"))) {
      c.header("www-authenticate", 'Bearer realm="pipe"');
      return problem(c, 401, "send a valid API key as `Authorization: Bearer KEY` or `x-api-key: KEY`");
    }
    return next();
  };
}
