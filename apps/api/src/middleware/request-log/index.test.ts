import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logRequest, requestIdOf, writeRequestLinesDirectly } from "./index.js";

/** A pino logger writing into an array, and the array. */
function memoryLogger(level = "info") {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split(/(?<=\n)/));
      done();
    },
  });
  const write = (line: string) => stream.write(line);
  return { logger: pino({ level, base: { service: "pipe-api" } }, stream), lines, stream: { write } };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("logRequest", () => {
  it("writes, directly, the very line pino writes for the request", () => {
    vi.useFakeTimers({ now: new Date("2026-12-07T10:00:00.123Z"), toFake: ["Date"] });
    const viaPino = memoryLogger();
    const fast = memoryLogger();
    writeRequestLinesDirectly(fast.logger, fast.stream, { service: "pipe-api" });
    const cases: [string, string, string, number, number][] = [
      ["c1270bf2-93e9-4a94-8134-2ddc6155c2f5", "POST", "/predict", 200, 0.0374449],
      ["client.id_42", "GET", "/model/importance", 404, 12],
      ["a".repeat(128), "POST", "/predict/", 422, 1234.5678],
      ["x", "GET", "/a path with spaces/and~tildes", 200, 0],
    ];
    for (const c of cases) {
      logRequest(viaPino.logger, ...c);
      logRequest(fast.logger, ...c);
    }
    expect(fast.lines).toEqual(viaPino.lines);
    expect(JSON.parse(fast.lines[0] as string)).toEqual({
      level: 30,
      time: Date.parse("2026-12-07T10:00:00.123Z"),
      service: "pipe-api",
      request_id: "c1270bf2-93e9-4a94-8134-2ddc6155c2f5",
      method: "POST",
      path: "/predict",
      status: 200,
      ms: 0.037,
      msg: "request",
    });
  });

  it("leaves to pino what needs escaping and the errors, and writes nothing below the logger's level", () => {
    vi.useFakeTimers({ now: new Date("2026-12-07T10:00:00Z"), toFake: ["Date"] });
    const viaPino = memoryLogger();
    const fast = memoryLogger();
    writeRequestLinesDirectly(fast.logger, fast.stream, { service: "pipe-api" });
    for (const path of ['/quote"d', "/back\\slash", "/é", "/tab\there"]) {
      logRequest(viaPino.logger, "id", "GET", path, 404, 1);
      logRequest(fast.logger, "id", "GET", path, 404, 1);
    }
    logRequest(viaPino.logger, "id", "POST", "/predict", 500, 1);
    logRequest(fast.logger, "id", "POST", "/predict", 500, 1);
    expect(fast.lines).toEqual(viaPino.lines);
    expect(JSON.parse(fast.lines.at(-1) as string)).toMatchObject({ level: 50, status: 500 });

    const quiet = memoryLogger("warn");
    writeRequestLinesDirectly(quiet.logger, quiet.stream, { service: "pipe-api" });
    logRequest(quiet.logger, "id", "POST", "/predict", 200, 1);
    expect(quiet.lines).toEqual([]);
  });
});

describe("requestIdOf", () => {
  it("keeps a sane client id and makes a UUID otherwise", () => {
    expect(requestIdOf("trace-1.a_b")).toBe("trace-1.a_b");
    for (const bad of [undefined, "", "has space", "x".repeat(129), 'quote"']) expect(requestIdOf(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
