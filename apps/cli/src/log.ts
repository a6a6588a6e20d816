/** Human lines go to stderr (so --json output on stdout stays clean); progress redraws one line on a TTY. */
export class Logger {
  private lastProgress = "";
  private lastPlainStep = -1;
  constructor(
    private readonly quiet: boolean,
    private readonly tty = Boolean(process.stderr.isTTY),
  ) {}

  info(message: string): void {
    if (this.quiet) return;
    this.endProgress();
    process.stderr.write(`${message}\n`);
  }

  warn(message: string): void {
    this.endProgress();
    process.stderr.write(`warning: ${message}\n`);
  }

  /** Progress of long work: a redrawn line on a terminal, a plain line every 25% otherwise. */
  progress(label: string, done: number, total?: number): void {
    if (this.quiet) return;
    if (this.tty) {
      this.lastProgress = total ? `${label} ${done}/${total}` : `${label} ${done}`;
      process.stderr.write(`\r${this.lastProgress}\u001b[K`);
      if (total && done >= total) this.endProgress();
      return;
    }
    if (!total) return;
    const step = Math.floor((4 * done) / total);
    if (step !== this.lastPlainStep && step > 0) {
      this.lastPlainStep = step;
      process.stderr.write(`${label} ${done}/${total}\n`);
    }
    if (done >= total) this.lastPlainStep = -1;
  }

  private endProgress(): void {
    if (this.lastProgress) {
      process.stderr.write("\n");
      this.lastProgress = "";
    }
  }
}
