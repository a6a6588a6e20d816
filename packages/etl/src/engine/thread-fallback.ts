/** Whether DuckDB refused a statement for want of memory. */
export function isOutOfMemory(error: unknown): boolean {
  return /^Out of Memory Error/i.test(error instanceof Error ? error.message : "");
}

/**
 * Runs DuckDB statements on the threads it was given; a statement that runs out of memory on several
 * threads the caller did not name runs again once on one thread, which then stays for the statements
 * after it (a run's statements are alike in width). Each thread building a table holds its rows until
 * they are written, so the memory a statement needs grows with the threads and the table's width: the
 * wide bench table's ETL ran out of 256MB on two threads and completes on one. A failed statement has no
 * effect (each runs in its own transaction), so running it again is safe.
 */
export class ThreadFallback {
  constructor(
    private threads: number,
    private readonly named: boolean,
    private readonly setThreads: (threads: number) => Promise<void>,
  ) {}

  /** The threads statements run on now. */
  get current(): number {
    return this.threads;
  }

  async run<T>(statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      if (this.named || this.threads <= 1 || !isOutOfMemory(error)) throw error;
      this.threads = 1;
      await this.setThreads(1);
      return await statement();
    }
  }
}
