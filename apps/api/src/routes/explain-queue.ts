import type { ExplainedPrediction, ExplainOptions, PipeModel, RawRecord } from "@pipe/model";

/** Rows walked together in one block (@pipe/model's TreeSHAP block). */
const FULL_BATCH = 16;
/** How long a batch waits at most, under load, for as many requests as the last batch answered. */
const LINGER_MS = 2;

interface Waiting {
  record: RawRecord;
  options: ExplainOptions;
  resolve: (p: ExplainedPrediction) => void;
  reject: (error: Error) => void;
}

/**
 * Explanations asked for at about the same time, walked together: the rows walk the trees in blocks (on
 * Adult's forest a block of 8 costs under half a row alone's time a row, bench:explain) on every scoring
 * thread. An idle service explains a request at once, on its own. Under load, the requests that arrive
 * while a batch is explained wait for it to end, and then for as many as that batch answered (the clients
 * just answered asking again), at most LINGER_MS: without that wait, clients split into cohorts explained
 * by turns, each request waiting for another cohort's batch before its own.
 */
export class ExplainQueue {
  private waiting: Waiting[] = [];
  /** A batch is running, or about to start. */
  private busy = false;
  /** While lingering: the timer that starts the next batch, and the requests awaited before it starts sooner. */
  private lingering: { timer: NodeJS.Timeout; expected: number } | undefined;

  constructor(
    private readonly model: PipeModel,
    private readonly threads: number,
  ) {}

  /** The record's prediction and explanation (rejects with the model's error for a record that does not fit). */
  explain(record: RawRecord, options: ExplainOptions): Promise<ExplainedPrediction> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, options, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        setImmediate(() => void this.flush());
      } else if (this.lingering && this.waiting.length >= this.lingering.expected) {
        // Those awaited are here: the batch starts on the next turn (requests read on this one join it).
        clearTimeout(this.lingering.timer);
        this.lingering = undefined;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.lingering = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) {
      this.busy = false;
      return;
    }
    // One walk for the whole batch, each request's options (its top k) applied to its own row.
    try {
      const out = await this.model.explainEachAsync(
        batch.map((w) => w.record),
        batch.map((w) => w.options),
        { threads: this.threads },
      );
      out.forEach((p, i) => {
        const w = batch[i] as Waiting;
        if (p instanceof Error) w.reject(p);
        else w.resolve(p);
      });
    } catch (error) {
      for (const w of batch) w.reject(error as Error);
    }
    const expected = Math.min(batch.length, FULL_BATCH);
    if (this.waiting.length >= expected) setImmediate(() => void this.flush());
    else this.lingering = { timer: setTimeout(() => void this.flush(), LINGER_MS), expected };
  }
}
