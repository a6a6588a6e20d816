import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { apiKeys } from "./index.js";

const app = new Hono();
app.use(apiKeys(["secret-1", "secret-2"], ["/health"]));
app.get("/health", (c) => c.text("ok"));
app.get("/data", (c) => c.text("data"));

describe("apiKeys", () => {
  it("lets open paths through without a key", async () => {
    expect((await app.request("/health")).status).toBe(200);
  });
  it("accepts a Bearer token or an x-api-key header", async () => {
    expect((await app.request("/data", { headers: { authorization: "Bearer secret-2" } })).status).toBe(200);
    expect((await app.request("/data", { headers: { "x-api-key": "secret-1" } })).status).toBe(200);
  });
  it("answers 401 with a problem document for a missing or wrong key", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer nope" }, { "x-api-key": "secret-10" }, { authorization: "Basic c2VjcmV0LTE=" }];
    for (const headers of attempts) {
      const res = await app.request("/data", { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });
});
