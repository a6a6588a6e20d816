import { Writable } from "node:stream";
import { pino } from "pino";

/** A pino logger writing into an array, one log line (without its line break) an entry. */
export function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: "info", base: { service: "pipe-api" } }, stream), lines };
}
