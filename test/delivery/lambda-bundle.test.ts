import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzip } from "../../scripts/lib/zip.mjs";
import { DATASETS, ROOT, tempDir } from "../../test-support/index.js";

// `pnpm bundle:lambda` → a zip; unpacked in an empty folder (as Lambda does into /var/task) and its
// handler invoked by a separate Node process with API Gateway HTTP API (payload 2.0) events.
const tmp = tempDir("pipe-lambda-");
const task = join(tmp.dir, "task");
let bundle: { zip: string; zip_bytes: number; unpacked_bytes: number; handler: string };

/** A sample API Gateway HTTP API (payload format 2.0) event. */
function event(method: string, path: string, body?: unknown) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json", host: "abc123.execute-api.eu-west-1.amazonaws.com" },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "test" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "29/Nov/2026:00:00:00 +0000",
      timeEpoch: 1795910400000,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

/** Invokes the unpacked handler in a fresh process (no MODEL_PATH: it finds the model beside itself). */
function invoke(events: unknown[]): { statusCode: number; headers: Record<string, string>; body: string }[] {
  const script = `const { handler } = await import(${JSON.stringify(join(task, "index.mjs"))});
const out = [];
for (const e of ${JSON.stringify(events)}) out.push(await handler(e, { awsRequestId: "test" }));
process.stdout.write(JSON.stringify(out));`;
  const env = { ...process.env };
  delete env.MODEL_PATH;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: task, encoding: "utf8", env }));
}

beforeAll(() => {
  const model = join(tmp.dir, "model");
  execFileSync(
    process.execPath,
    [join(ROOT, "apps/cli/dist/pipe.js"), "run", "--input", DATASETS.heart, "--target", "target", "--out", model, "--quiet", "--no-png", "--trees", "50"],
    { cwd: tmp.dir, stdio: "ignore" },
  );
  const out = execFileSync(
    process.execPath,
    [join(ROOT, "scripts/bundle-lambda.mjs"), "--model", join(model, "model.json"), "--out", join(tmp.dir, "bundle")],
    {
      cwd: tmp.dir,
      encoding: "utf8",
    },
  );
  bundle = JSON.parse(out.split("\n")[0] as string);
  for (const { name, data } of unzip(readFileSync(bundle.zip))) {
    mkdirSync(dirname(join(task, name)), { recursive: true });
    writeFileSync(join(task, name), data);
  }
}, 300_000);
afterAll(tmp.cleanup);

describe("pnpm bundle:lambda", () => {
  it("makes a zip of 20 MB or less that holds the handler, the model and nothing else to install", () => {
    console.log(`compass: Lambda zip ${(bundle.zip_bytes / 1e6).toFixed(2)} MB, unpacked ${(bundle.unpacked_bytes / 1e6).toFixed(2)} MB`);
    expect(bundle.zip_bytes).toBe(statSync(bundle.zip).size);
    expect(bundle.zip_bytes).toBeLessThanOrEqual(20e6);
    expect(bundle.unpacked_bytes).toBeLessThan(250e6);
    expect(bundle.handler).toBe("index.handler");
    const names = unzip(readFileSync(bundle.zip)).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(["index.mjs", "model.json", "swagger-ui/swagger-ui-bundle.js"]));
    expect(names.some((n) => n.startsWith("node_modules/"))).toBe(false);
  });

  it("answers API Gateway v2 events: predict, health, a 422 naming the field, the docs", () => {
    const [predict, health, bad, openapi, docs, missing] = invoke([
      event("POST", "/predict", { age: 54, sex: 1, cp: 0, thalach: 150 }),
      event("GET", "/health"),
      event("POST", "/predict", { age: "old" }),
      event("GET", "/openapi.json"),
      event("GET", "/docs"),
      event("GET", "/nowhere"),
    ]);
    expect(predict?.statusCode).toBe(200);
    const p = JSON.parse(predict?.body as string) as { probability: number; label: string; model_version: string };
    expect(p.probability).toBeGreaterThanOrEqual(0);
    expect(p.probability).toBeLessThanOrEqual(1);
    expect(["0", "1"]).toContain(p.label);
    expect(health?.statusCode).toBe(200);
    expect(bad?.statusCode).toBe(422);
    expect(JSON.parse(bad?.body as string).errors[0].path).toBe("age");
    expect(JSON.parse(openapi?.body as string).paths).toHaveProperty("/predict");
    expect(docs?.statusCode).toBe(200);
    expect(docs?.body).toContain("swagger-ui-bundle.js");
    expect(missing?.statusCode).toBe(404);
  });
});
