import { type Logger, destination as logDestination, pino } from "pino";

/** The longest a log line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 250;
/** Lines are written once this many bytes are waiting (about twenty request lines). */
const LOG_BUFFER_BYTES = 4096;

/**
 * The service's logger when none is given: pino's JSON lines on stdout, written a block at a time.
 * With a write per line (pino's default), each request's line cost a system call handed to another
 * thread and back; in blocks of 4 KB, or every {@link LOG_FLUSH_MS}, /predict spends less CPU per
 * request. `flush` writes what waits now (a line a reader of the log waits for, the last lines
 * before stopping); pino writes what is left when the process exits.
 */
export function serviceLogger(level: string): { logger: Logger; flush: () => Promise<void> } {
  const destination = logDestination({ dest: 1, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS, sync: false });
  const logger = pino({ level, base: { service: "pipe-api" } }, destination);
  // Resolves once the lines waiting are written (a write still under way at exit could be lost), or
  // after a second: a stdout nobody reads any more must not hold the service up.
  const flush = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      destination.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { logger, flush };
}
