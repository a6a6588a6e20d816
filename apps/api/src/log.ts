import { type Logger, destination as logDestination, pino } from "pino";
import { writeRequestLinesDirectly } from "./middleware/request-log/index.js";

/** The longest a log line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 250;
/**
 * Lines are written once this many bytes are waiting (about eighty request lines): each write costs
 * the event loop some 10 µs (a thread woken), whatever its size.
 */
const LOG_BLOCK_BYTES = 16_384;

/** What the lines are handed to: pino's SonicBoom destination, in buffer mode, its own buffering off. */
interface LineSink {
  write(block: Buffer): unknown;
  flush(done: (error?: Error) => void): void;
  flushSync(): void;
}

/**
 * Log lines gathered into blocks of about {@link LOG_BLOCK_BYTES} before they reach the destination,
 * each line encoded into the block as it comes. SonicBoom can buffer too (minLength), but it measures
 * the UTF-8 length of its whole pending string at every write, which flattens it (2–4 µs a request
 * line at /predict's rate), and a string handed to a file write is encoded on the event loop; here a
 * line costs its own encoding, and a block goes to the file as it is.
 */
export class LineBlocks {
  private block = Buffer.allocUnsafe(LOG_BLOCK_BYTES + 1024);
  private used = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sink: LineSink,
    flushMs = LOG_FLUSH_MS,
  ) {
    // unref: a quiet service's timer must not keep a stopping process alive.
    this.timer = setInterval(() => this.release(), flushMs).unref();
  }

  write(line: string): boolean {
    const bytes = Buffer.byteLength(line);
    if (this.used + bytes > this.block.length) {
      this.release();
      // A line longer than a block goes on its own.
      if (bytes > this.block.length) {
        this.sink.write(Buffer.from(line));
        return true;
      }
    }
    this.used += this.block.write(line, this.used);
    if (this.used >= LOG_BLOCK_BYTES) this.release();
    return true;
  }

  /** Hands the waiting lines to the destination (which writes them in the background). */
  release(): void {
    if (this.used === 0) return;
    const out = this.block.subarray(0, this.used);
    // A new block: the destination holds the old one until its write is done.
    this.block = Buffer.allocUnsafe(this.block.length);
    this.used = 0;
    this.sink.write(out);
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
export function serviceLogger(level: string): { logger: Logger; flush: () => Promise<void>; close: () => void } {
  const destination = logDestination({ dest: 1, sync: false, contentMode: "buffer" });
  const blocks = new LineBlocks({
    // In buffer mode SonicBoom writes Buffers as they are (its typings name only strings).
    write: (block) => destination.write(block as unknown as string),
    flush: (done) => destination.flush(done),
    flushSync: () => destination.flushSync(),
  });
  // A process that exits with lines waiting writes them, and what SonicBoom holds, synchronously.
  const atExit = () => {
    try {
      blocks.flushSync();
    } catch {
      // stdout already closed: nothing left to write to.
    }
  };
  process.once("exit", atExit);
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
  // A stopped service lets go of its timer and exit handler (a process may start and stop many).
  const close = () => {
    blocks.close();
    process.off("exit", atExit);
  };
  return { logger, flush, close };
}
