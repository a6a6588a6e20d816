import { type Logger, destination as logDestination, pino } from "pino";
import { writeRequestLinesDirectly } from "./middleware/request-log/index.js";

/** The longest a log line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 250;
/**
 * Lines are written once this many characters are waiting (about eighty request lines): each write
 * costs the event loop 10–20 µs (the string copied, a thread woken), whatever its size.
 */
const LOG_BLOCK_CHARS = 16_384;

/** What the lines are handed to: pino's SonicBoom destination (its own buffering off). */
interface LineSink {
  write(text: string): unknown;
  flush(done: (error?: Error) => void): void;
  flushSync(): void;
}

/**
 * Log lines gathered into blocks of about {@link LOG_BLOCK_CHARS} before they reach the destination.
 * SonicBoom can buffer too (minLength), but it measures the UTF-8 length of its whole pending string
 * at every write, which flattens it: 2–4 µs a request line at /predict's rate, a tenth of its
 * throughput. Here a line costs a string concatenation; the block's length is measured once.
 */
export class LineBlocks {
  private pending = "";
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sink: LineSink,
    flushMs = LOG_FLUSH_MS,
  ) {
    // unref: a quiet service's timer must not keep a stopping process alive.
    this.timer = setInterval(() => this.release(), flushMs).unref();
  }

  write(line: string): boolean {
    this.pending += line;
    if (this.pending.length >= LOG_BLOCK_CHARS) this.release();
    return true;
  }

  /** Hands the waiting lines to the destination (which writes them in the background). */
  release(): void {
    if (this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    this.sink.write(text);
  }

  /** Writes what waits; `done` once the destination has written it. */
  flush(done: (error?: Error) => void): void {
    this.release();
    this.sink.flush(done);
  }

  /** Writes what waits before returning (at exit, when no callback will run). */
  flushSync(): void {
    this.release();
    this.sink.flushSync();
  }

  close(): void {
    clearInterval(this.timer);
    this.release();
  }
}

/**
 * The service's logger when none is given: pino's JSON lines on stdout, written a block at a time.
 * With a write per line (pino's default), each request's line cost a system call handed to another
 * thread and back; in blocks of 16 KB, or every {@link LOG_FLUSH_MS}, /predict spends less CPU per
 * request. `flush` writes what waits now (a line a reader of the log waits for, the last lines
 * before stopping); the lines still waiting at exit are written then, synchronously.
 */
export function serviceLogger(level: string): { logger: Logger; flush: () => Promise<void> } {
  const destination = logDestination({ dest: 1, sync: false });
  const blocks = new LineBlocks(destination);
  // A process that exits with lines waiting writes them, and what SonicBoom holds, synchronously.
  process.once("exit", () => {
    try {
      blocks.flushSync();
    } catch {
      // stdout already closed: nothing left to write to.
    }
  });
  const base = { service: "pipe-api" };
  const logger = pino({ level, base }, blocks);
  writeRequestLinesDirectly(logger, blocks, base);
  // Resolves once the lines waiting are written (a write still under way at exit could be lost), or
  // after a second: a stdout nobody reads any more must not hold the service up.
  const flush = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      blocks.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { logger, flush };
}
