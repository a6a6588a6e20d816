import { createServer, request } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { memoryLogger } from "../../test/memory-logger.js";
import { titanicModel } from "../../test/model-fixture.js";
import { createService } from "../app.js";
import { startServer } from "../start.js";
import { type NodeListener, withPredictFastPath } from "./predict-fast-path.js";

// Counts the servers startServer wires the fast path into (the calls go through to it).
vi.mock("./predict-fast-path.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("./predict-fast-path.js")>();
  return { ...original, withPredictFastPath: vi.fn(original.withPredictFastPath) };
});

let fixture: Awaited<ReturnType<typeof titanicModel>>;
beforeAll(async () => {
  fixture = await titanicModel();
});
afterAll(() => fixture.cleanup());

const record = { Pclass: 3, Sex: "male", Age: 22, SibSp: 1, Parch: 0, Fare: 7.25, Embarked: "S" };

interface Sent {
  path?: string;
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Sent in pieces with no content-length. */
  chunked?: boolean;
}
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a real socket, as a client sends it (node:http, so a body can go without a length). */
function send(port: number, s: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = s.body ?? JSON.stringify(record);
    const headers: Record<string, string | number> = { "content-type": "application/json", ...s.headers };
    if (!s.chunked) headers["content-length"] = Buffer.byteLength(body);
    const req = request({ host: "127.0.0.1", port, path: s.path ?? "/predict", method: s.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    if (s.chunked) {
      const text = String(body);
      for (let i = 0; i < text.length; i += 10) req.write(text.slice(i, i + 10));
    } else req.write(body);
    req.end();
  });
}

/** What must be equal in two answers: status, headers but the date and a generated id, body. */
function comparable(a: Answer, generatedId: boolean) {
  const { date: _, ...headers } = a.headers;
  if (generatedId) {
    expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    headers["x-request-id"] = "(generated)";
  }
  return { status: a.status, headers, body: a.body };
}

const CASES: [string, Sent][] = [
  ["a record", {}],
  ["the original design's path", { path: "/predict/" }],
  ["a client's request id", { headers: { "x-request-id": "trace-42" } }],
  ["an insane request id (replaced)", { headers: { "x-request-id": "not sane!" } }],
  ["fields it ignores, and blanks", { body: JSON.stringify({ ...record, Age: "", Fare: " 7.25 ", Embarked: null }) }],
  ["numbers as text", { body: JSON.stringify({ ...record, Age: "22", Pclass: "3" }) }],
  ["an unseen category", { body: JSON.stringify({ ...record, Embarked: "X" }) }],
  ["application/<x>+json", { headers: { "content-type": "application/vnd.pipe+json; charset=utf-8" } }],
  ["an unknown field", { body: JSON.stringify({ ...record, Cabin: "C85" }) }],
  ["a word in a number", { body: JSON.stringify({ ...record, Age: "old" }) }],
  ["no used field", { body: JSON.stringify({}) }],
  ["an array", { body: JSON.stringify([record]) }],
  ["broken JSON", { body: '{"Pclass": 3,' }],
  ["an empty body", { body: "" }],
  ["a byte-order mark", { body: `\uFEFF${JSON.stringify(record)}` }],
  ["invalid UTF-8", { body: Buffer.concat([Buffer.from('{"Sex":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) }],
  // 710 bytes sent, 2,110 once decoded (each invalid byte is U+FFFD, three bytes): over the 2,000-byte limit.
  ["invalid bytes that decode past the limit", { body: Buffer.concat([Buffer.from('{"Sex":"'), Buffer.alloc(700, 0xff), Buffer.from('"}')]) }],
  ["a prototype key", { body: `{"__proto__": {"x": 1}, "Sex": "male"}` }],
  ["text/plain", { headers: { "content-type": "text/plain" } }],
  ["no content type", { headers: { "content-type": "" } }],
  ["over the body limit", { body: JSON.stringify({ ...record, Sex: "m".repeat(3000) }) }],
  ["chunked, no length", { chunked: true }],
  ["chunked, over the limit", { chunked: true, body: JSON.stringify({ ...record, Sex: "m".repeat(3000) }) }],
  ["?explain", { path: "/predict?explain=true" }],
  ["?explain=2", { path: "/predict?explain=2" }],
  ["a query string", { path: "/predict?x=1" }],
  ["GET /predict", { method: "GET", body: "" }],
  ["a batch", { path: "/predict/batch", body: JSON.stringify({ records: [record, record] }) }],
];

/** Starts the service twice on loopback — through the app alone, and with the fast path — with options alike. */
async function pair(options: { apiKeys?: string[]; corsOrigins?: string[]; unknownFields?: "reject" | "ignore" } = {}) {
  const viaApp = memoryLogger();
  const viaFast = memoryLogger();
  const common = { modelPath: fixture.modelPath, port: 0, host: "127.0.0.1", bodyLimit: 2000, scoreThreads: 1, ...options };
  const wired = vi.mocked(withPredictFastPath).mock.calls.length;
  const app = await startServer({ ...common, logger: viaApp.logger, predictFastPath: false });
  expect(vi.mocked(withPredictFastPath).mock.calls.length).toBe(wired);
  const fast = await startServer({ ...common, logger: viaFast.logger });
  expect(vi.mocked(withPredictFastPath).mock.calls.length).toBe(wired + 1);
  return {
    app,
    fast,
    logs: [viaApp.lines, viaFast.lines] as const,
    close: async () => {
      await app.close();
      await fast.close();
    },
  };
}

/** A log line without what differs from run to run: time, duration, a generated id. */
function logShape(line: string) {
  const { time: _t, ms, request_id, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return { ...rest, ms: typeof ms, request_id: typeof request_id === "string" && /^[0-9a-f-]{36}$/.test(request_id) ? "(generated)" : request_id };
}

/** The metrics but the latency histogram (timing differs from run to run). */
const counters = (text: string) =>
  text
    .split("\n")
    .filter((l) => !l.startsWith("pipe_http_request_duration_seconds"))
    .join("\n");

describe("POST /predict's Node fast path answers as the app does", () => {
  it("the same statuses, headers, bodies, log lines, metrics and drift window, request by request", async () => {
    const servers = await pair();
    try {
      for (const [name, sent] of CASES) {
        const a = await send(servers.app.port, sent);
        const b = await send(servers.fast.port, sent);
        const generated = !sent.headers?.["x-request-id"] || sent.headers["x-request-id"] === "not sane!";
        expect(comparable(b, generated), name).toEqual(comparable(a, generated));
      }
      const [appLog, fastLog] = servers.logs;
      const requests = (lines: readonly string[]) => lines.filter((l) => l.includes('"msg":"request"')).map(logShape);
      expect(requests(fastLog)).toEqual(requests(appLog));
      expect(requests(appLog)).toHaveLength(CASES.length);
      for (const path of ["/metrics", "/drift"]) {
        const a = await send(servers.app.port, { path, method: "GET", body: "" });
        const b = await send(servers.fast.port, { path, method: "GET", body: "" });
        expect(counters(b.body), path).toEqual(counters(a.body));
      }
    } finally {
      await servers.close();
    }
  });

  it("with API keys: a request with a key is answered alike, one without or with a wrong key refused alike", async () => {
    const servers = await pair({ apiKeys: ["k1", "k2"] });
    try {
      const keyed: [string, Sent][] = [
        ["bearer", { headers: { authorization: "Bearer k2" } }],
        ["bearer, any case", { headers: { authorization: "bearer k1" } }],
        ["x-api-key", { headers: { "x-api-key": "k1" } }],
        ["a wrong key", { headers: { "x-api-key": "k3" } }],
        ["no key", {}],
        ["a key and a bad record", { headers: { "x-api-key": "k1" }, body: "{}" }],
      ];
      for (const [name, sent] of keyed) {
        const a = await send(servers.app.port, sent);
        const b = await send(servers.fast.port, sent);
        expect(comparable(b, true), name).toEqual(comparable(a, true));
      }
      expect((await send(servers.fast.port, keyed[0]?.[1] ?? {})).status).toBe(200);
      expect((await send(servers.fast.port, {})).status).toBe(401);
    } finally {
      await servers.close();
    }
  });

  it("with unknown fields ignored: a record with fields the training data never had is answered alike, with its warning", async () => {
    const servers = await pair({ unknownFields: "ignore" });
    try {
      const cases: Sent[] = [
        { body: JSON.stringify({ ...record, Cabin: "C85", sex: "male" }) },
        { body: JSON.stringify({ Cabinn: 1 }) },
        { body: JSON.stringify({ ...record, Age: "old", extra: true }) },
      ];
      for (const sent of cases) {
        const a = await send(servers.app.port, sent);
        const b = await send(servers.fast.port, sent);
        expect(comparable(b, true), String(sent.body)).toEqual(comparable(a, true));
      }
      const first = JSON.parse((await send(servers.fast.port, cases[0] ?? {})).body) as { warnings: string[] };
      expect(first.warnings.join("; ")).toMatch(/ignored unknown fields: Cabin, sex \(did you mean "Sex"\?\)/u);
    } finally {
      await servers.close();
    }
  });

  it("with CORS on: the same answers, CORS headers included, for an allowed origin, another and none", async () => {
    const servers = await pair({ corsOrigins: ["https://app.example", "https://admin.example"] });
    try {
      for (const origin of ["https://app.example", "https://admin.example", "https://other.example", undefined]) {
        for (const [name, sent] of CASES) {
          const headers = origin === undefined ? sent.headers : { ...sent.headers, origin };
          const a = await send(servers.app.port, { ...sent, ...(headers ? { headers } : {}) });
          const b = await send(servers.fast.port, { ...sent, ...(headers ? { headers } : {}) });
          const generated = !sent.headers?.["x-request-id"] || sent.headers["x-request-id"] === "not sane!";
          expect(comparable(b, generated), `${name}, origin ${origin}`).toEqual(comparable(a, generated));
        }
      }
      const allowed = await send(servers.fast.port, { headers: { origin: "https://admin.example" } });
      expect(allowed.headers["access-control-allow-origin"]).toBe("https://admin.example");
      expect(allowed.headers.vary).toBe("Origin");
      const preflight = await send(servers.fast.port, {
        method: "OPTIONS",
        body: "",
        headers: { origin: "https://app.example", "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers["access-control-allow-methods"]).toBe("GET,POST");
    } finally {
      await servers.close();
    }
  });
});

/** Sends a request's head and part of its body over a raw socket, then closes it, as a client that gives up. */
async function sendHalfAndLeave(port: number, head: string, part: string): Promise<void> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`${head}\r\n\r\n${part}`);
  await new Promise((resolve) => setTimeout(resolve, 30));
  socket.destroy();
}

describe("a client that leaves before its request is read whole", () => {
  it("is a 499 in the log and metrics on both paths (no 500, no stack trace), and the service answers the next request", async () => {
    const servers = await pair();
    try {
      const heads = [
        "POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-request-id: gone-1\r\ncontent-length: 200",
        "POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-request-id: gone-2\r\ntransfer-encoding: chunked",
        "POST /predict/batch HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-request-id: gone-3\r\ncontent-length: 300",
      ];
      for (const server of [servers.app, servers.fast]) {
        await sendHalfAndLeave(server.port, heads[0] as string, '{"Sex":"ma');
        await sendHalfAndLeave(server.port, heads[1] as string, 'a\r\n{"Sex":"ma\r\n');
        await sendHalfAndLeave(server.port, heads[2] as string, '{"records":[');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const server of [servers.app, servers.fast]) expect((await send(server.port, {})).status).toBe(200);
      const [appLog, fastLog] = servers.logs;
      const left = (lines: readonly string[]) => lines.map(logShape).filter((l) => String(l.request_id).startsWith("gone-"));
      const gone = (request_id: string, path: string) => ({
        level: 30,
        service: "pipe-api",
        request_id,
        method: "POST",
        path,
        status: 499,
        ms: "number",
        msg: "request",
      });
      expect(left(appLog)).toEqual([gone("gone-1", "/predict"), gone("gone-2", "/predict"), gone("gone-3", "/predict/batch")]);
      expect(left(fastLog)).toEqual(left(appLog));
      for (const lines of servers.logs) expect(lines.join("\n")).not.toMatch(/unhandled error|"level":50/u);
      const a = await send(servers.app.port, { path: "/metrics", method: "GET", body: "" });
      const b = await send(servers.fast.port, { path: "/metrics", method: "GET", body: "" });
      expect(counters(b.body)).toEqual(counters(a.body));
      expect(a.body).toMatch(/pipe_http_requests_total\{method="POST",route="\/predict",status="499"\} 2/u);
      expect(a.body).toMatch(/pipe_http_requests_total\{method="POST",route="\/predict\/batch",status="499"\} 1/u);
      expect(a.body).not.toMatch(/status="5\d\d"/u);
    } finally {
      await servers.close();
    }
  });
});

describe("withPredictFastPath", () => {
  it("answers an accepted record itself and hands everything else to the app, with the body it read", async () => {
    const { app, ctx } = createService({ model: fixture.model, bodyLimit: 2000 });
    const appListener = getRequestListener(app.fetch);
    let handed = 0;
    const spy: NodeListener = (req, res) => {
      handed++;
      appListener(req, res);
    };
    const server = createServer(withPredictFastPath(spy, { ctx }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect((await send(port, {})).status).toBe(200);
      expect((await send(port, { path: "/predict/" })).status).toBe(200);
      expect(handed).toBe(0);
      // Read here, refused there: the app still sees the body (a 422 naming the field, not a 400).
      const refused = await send(port, { body: JSON.stringify({ ...record, Age: "old" }) });
      expect(refused.status).toBe(422);
      expect(JSON.parse(refused.body)).toMatchObject({ errors: [{ path: "Age" }] });
      expect((await send(port, { path: "/health", method: "GET", body: "" })).status).toBe(200);
      expect(handed).toBe(2);
      // Without a logger, the app sends no request id: neither does the fast path.
      expect((await send(port, {})).headers["x-request-id"]).toBeUndefined();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("answers an accepted record itself with CORS on too, adding the CORS headers", async () => {
    const corsOrigins = ["https://app.example"];
    const { app, ctx } = createService({ model: fixture.model, bodyLimit: 2000, corsOrigins });
    const appListener = getRequestListener(app.fetch);
    let handed = 0;
    const spy: NodeListener = (req, res) => {
      handed++;
      appListener(req, res);
    };
    const server = createServer(withPredictFastPath(spy, { ctx, corsOrigins }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = await send(port, { headers: { origin: "https://app.example" } });
      expect(answer.status).toBe(200);
      expect([answer.headers["access-control-allow-origin"], answer.headers.vary]).toEqual(["https://app.example", "Origin"]);
      expect(handed).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
