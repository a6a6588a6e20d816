import type { ExplainedPrediction, ExplainOptions, PipeModel, RawRecord } from "@pipe/model";

/** Rows walked together in one block (@pipe/model's TreeSHAP block). */
const FULL_BATCH = 16;
/** How long a batch waits, under load, for more requests to join it. */
const LINGER_MS = 1;

interface Waiting {
  record: RawRecord;
  options: ExplainOptions;
  resolve: (p: ExplainedPrediction) => void;
  reject: (error: Error) => void;
}

/**
 * Explanations asked for at about the same time, walked together. A request that arrives while the
 * service is explaining waits for the next turn of the event loop, and every request waiting then is
 * explained in one batch: the rows walk the trees in blocks (on Adult's forest under half the cost per
 * row of a row alone, bench:explain) on every scoring thread. An idle service explains a request at once, on its own.
 */
export class ExplainQueue {
  private waiting: Waiting[] = [];
  private busy = false;

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
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    // One call per top-k asked for: the options shape every explanation of a call.
    const byTop = new Map<number | undefined, Waiting[]>();
    for (const w of batch) {
      const group = byTop.get(w.options.top);
      if (group) group.push(w);
      else byTop.set(w.options.top, [w]);
    }
    for (const group of byTop.values()) {
      try {
        const out = await this.model.explainEachAsync(
          group.map((w) => w.record),
          (group[0] as Waiting).options,
          { threads: this.threads },
        );
        out.forEach((p, i) => {
          const w = group[i] as Waiting;
          if (p instanceof Error) w.reject(p);
          else w.resolve(p);
        });
      } catch (error) {
        for (const w of group) w.reject(error as Error);
      }
    }
    // Requests that came in meanwhile: the next batch, after a moment for the clients just answered to
    // ask again (a millisecond; not when a full block already waits). Without it, eight clients split into
    // two cohorts explained by turns, each waiting for the other's batch; together the batch walks the
    // trees as one larger block, quicker a row (bench:explain).
    if (this.waiting.length >= FULL_BATCH) setImmediate(() => void this.flush());
    else if (this.waiting.length > 0) setTimeout(() => void this.flush(), LINGER_MS);
    else this.busy = false;
  }
}
