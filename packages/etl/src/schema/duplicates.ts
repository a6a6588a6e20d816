import { openCsv, type ReadCsvOptions } from "../csv/open.js";
import { HeaderMatcher } from "../csv/repeated-header.js";
import type { ByteSource } from "../extract/source.js";
import type { ColumnFacts } from "../internal/profile.js";
import { RowHashSet } from "../internal/row-hash-set.js";
import type { RowStore } from "../internal/row-store.js";
import type { RecordView } from "../internal/tokenizer.js";
import type { DuplicatesPolicy } from "../options.js";

/** What was decided about rows that repeat an earlier row exactly, and why (etl_report.json's `duplicates`). */
export interface DuplicatesDecision {
  policy: DuplicatesPolicy;
  /** Whether repeated rows are rejected (`duplicate_row`) or kept. */
  drop: boolean;
  /**
   * Pairs of identical rows that chance alone would give if every column kept its own value
   * frequencies and the columns were independent: C(n, 2) · Π_j Σ_v p_jv².
   */
  expected_pairs: number;
  /** Pairs of identical rows in the file (Σ over distinct rows of C(k, 2)); null when not counted. */
  observed_pairs: number | null;
  reason: string;
}

/** Below this many chance pairs, an exact repeat is a copy, not a coincidence. */
const CHANCE_PAIRS = 1;
/** Correlated answers repeat more often than independence predicts, but not this many times more. */
const EXCESS = 20;
/** A capped column's unseen values: at most this share of the rows each (its distinct values are over 1,000). */
const CAPPED_VALUE_SHARE = 1 / 1000;

/** Σ_v p_v² of a column: the chance two random rows hold the same value (missing counts as a value). */
export function collisionProbability(p: ColumnFacts, rows: number): number {
  if (rows === 0) return 1;
  let known = p.missing;
  let sum = (p.missing / rows) ** 2;
  for (const c of p.counts.values()) {
    sum += (c / rows) ** 2;
    known += c;
  }
  // Values past the 1,000 a profile counts: bounded by treating each as 1/1000 of the rows.
  if (p.distinctCapped) sum += Math.max(0, 1 - known / rows) * CAPPED_VALUE_SHARE;
  return Math.min(1, sum);
}

/** Counts identical pairs, Σ C(k, 2) over distinct rows, as rows arrive (the set keeps each distinct row's k). */
class PairCounter {
  private readonly seen: RowHashSet;
  pairs = 0;

  constructor(expected: number) {
    this.seen = new RowHashSet(expected);
  }

  /** `weight` more rows with this fingerprint: they pair with the `before` already there and among themselves. */
  add(h1: number, h2: number, weight: number): void {
    const before = this.seen.addCount(h1, h2, weight);
    this.pairs += before * weight + (weight * (weight - 1)) / 2;
  }
}

/** The fingerprint of a full row from its fields' byte hashes and lengths (identical bytes, as dictionary ids are): in `print`. */
function printRow(view: RecordView, width: number): void {
  let h1 = 0x243f6a88;
  let h2 = 0x85a308d3;
  for (let j = 0; j < width; j++) {
    const length = (view.ends[j] as number) - (view.starts[j] as number);
    h1 = Math.imul(h1 ^ ((view.hashes[j] as number) + j), 0x9e3779b1);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 + (view.hashes2[j] as number) + length * 0x2f, 0x85ebca77);
    h2 ^= h2 >>> 13;
  }
  print.h1 = h1;
  print.h2 = h2;
}
const print = { h1: 0, h2: 0 };

/**
 * The identical pairs counted during the profile pass once its rows are no longer kept in memory, so
 * that deciding the duplicates policy needs no extra read of the source. While rows are stored, it
 * keeps each stored record's fingerprint (8 bytes); when the store gives up, it counts those records
 * with their repeats, then every row read. Past `maxRows` rows it gives up too (about 25 bytes a row)
 * and the count is made by reading the source once more ({@link observedPairsByReading}).
 */
export class PairsWhileProfiling {
  private prints = new Int32Array(2048);
  private counter: PairCounter | undefined;
  private rows = 0;
  private gaveUp = false;

  constructor(
    private readonly width: number,
    private readonly maxRows = 2_000_000,
  ) {}

  /** A full row stored as record `record` (call in record order). */
  remember(record: number, view: RecordView): void {
    if (2 * record + 2 > this.prints.length) {
      const grown = new Int32Array(this.prints.length * 2);
      grown.set(this.prints);
      this.prints = grown;
    }
    printRow(view, this.width);
    this.prints[2 * record] = print.h1;
    this.prints[2 * record + 1] = print.h2;
  }

  /**
   * The store gave up: counts its records with their repeats; rows are counted one by one from now on.
   * `expectedRows` sizes the count's table once (growing it rehashes every row so far).
   */
  startCounting(store: RowStore, expectedRows = 0): void {
    if (this.counter || this.gaveUp) return;
    const records = store.records;
    this.counter = new PairCounter(Math.min(this.maxRows + 1, Math.max(records, expectedRows, 1 << 16)));
    for (let record = 0; record < records; record++) {
      const weight = 1 + store.repeatsOf(record);
      this.counter.add(this.prints[2 * record] as number, this.prints[2 * record + 1] as number, weight);
      this.rows += weight;
    }
    this.prints = new Int32Array(0);
    this.checkBudget();
  }

  /**
   * The pairs among the stored rows (the store was kept to the end), from the fingerprints kept of their
   * records: Σ C(k, 2) over the groups of identical rows, a record counting once plus its repeats.
   */
  countStored(store: RowStore): number {
    // Sorted in place (they are not needed after), identical records fall into runs: no table of counts.
    const records = store.records;
    const prints = this.prints;
    this.prints = new Int32Array(0);
    // A record's repeats (its rows after the first), by its fingerprint's two words.
    const repeats = new Map<number, { h2: number; repeats: number }[]>();
    for (let record = 0; record < records; record++) {
      const n = store.repeatsOf(record);
      if (n === 0) continue;
      const h1 = prints[2 * record] as number;
      const h2 = prints[2 * record + 1] as number;
      const list = repeats.get(h1) ?? [];
      const same = list.find((e) => e.h2 === h2);
      if (same) same.repeats += n;
      else list.push({ h2, repeats: n });
      repeats.set(h1, list);
    }
    new BigInt64Array(prints.buffer, prints.byteOffset, records).sort();
    let pairs = 0;
    for (let i = 0; i < records; ) {
      const h1 = prints[2 * i] as number;
      const h2 = prints[2 * i + 1] as number;
      let j = i + 1;
      while (j < records && prints[2 * j] === h1 && prints[2 * j + 1] === h2) j++;
      const rows = j - i + (repeats.get(h1)?.find((e) => e.h2 === h2)?.repeats ?? 0);
      pairs += (rows * (rows - 1)) / 2;
      i = j;
    }
    return pairs;
  }

  /** A full row read after the store gave up. */
  add(view: RecordView): void {
    const counter = this.counter;
    if (!counter) return;
    printRow(view, this.width);
    counter.add(print.h1, print.h2, 1);
    if (++this.rows > this.maxRows) this.checkBudget();
  }

  /** The pairs among the rows counted, or undefined when counting gave up (or never started). */
  get pairs(): number | undefined {
    return this.counter?.pairs;
  }

  private checkBudget(): void {
    if (this.rows <= this.maxRows) return;
    this.counter = undefined;
    this.gaveUp = true;
  }
}

/**
 * The same count when the rows did not fit in memory and were too many to count on the way: one more
 * read of the source, fingerprinting each full row by its fields' byte hashes (as {@link PairsWhileProfiling}).
 */
export async function observedPairsByReading(
  source: ByteSource,
  layout: {
    delimiter: string;
    hasHeader: boolean;
    columns: string[];
    headerFields: string[] | undefined;
    encoding: "utf-8" | "latin1";
    /** How the values are written, as on the first read (see valueReading). */
    reading: ReadCsvOptions;
  },
  expectedRows: number,
): Promise<number> {
  const csv = await openCsv(source, {
    delimiter: layout.delimiter,
    header: layout.hasHeader,
    columns: layout.columns,
    ...layout.reading,
  });
  const width = layout.columns.length;
  const header = layout.headerFields ? new HeaderMatcher(layout.headerFields, layout.encoding === "utf-8" ? "utf8" : "latin1") : undefined;
  const counter = new PairCounter(expectedRows);
  const visit = (view: RecordView) => {
    if (view.count !== width || header?.matches(view)) return;
    printRow(view, width);
    counter.add(print.h1, print.h2, 1);
  };
  for await (const _ of csv.scan(visit));
  return counter.pairs;
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x >= 0.01 ? x.toPrecision(3) : x.toExponential(1));

/**
 * The duplicates policy applied to one file. `auto` asks whether an exact repeat could happen by
 * chance: if the columns' own value frequencies predict fewer than one identical pair among the rows
 * (a continuous or identifier-like value makes rows unique), repeats are copies and are dropped; if
 * they predict many (a questionnaire of few-level answers, where different people answer alike), the
 * repeats are kept as the observations they are — unless there are far more of them than chance and
 * ordinary correlation between answers explain (EXCESS times the prediction), the sign of copied records.
 */
export async function decideDuplicates(
  policy: DuplicatesPolicy,
  profiles: readonly ColumnFacts[],
  rows: number,
  countPairs: () => number | Promise<number>,
): Promise<DuplicatesDecision> {
  const q = profiles.map((p) => collisionProbability(p, rows));
  const expected = ((rows * (rows - 1)) / 2) * q.reduce((a, b) => a * b, 1);
  if (policy !== "auto") {
    return { policy, drop: policy === "drop", expected_pairs: expected, observed_pairs: null, reason: `etl.duplicates is "${policy}"` };
  }
  if (expected < CHANCE_PAIRS) {
    const j = q.indexOf(Math.min(...q));
    const p = profiles[j] as ColumnFacts;
    const distinct = p.distinctCapped ? "over 1,000" : p.unique.toLocaleString("en-US");
    return {
      policy,
      drop: true,
      expected_pairs: expected,
      observed_pairs: null,
      reason: `a repeat is implausible by chance: the columns' value frequencies predict ${fmt(expected)} identical pairs among ${rows.toLocaleString("en-US")} rows (${p.name} alone has ${distinct} distinct values), so exact repeats are copies: dropped`,
    };
  }
  const observed = await countPairs();
  if (observed > EXCESS * expected) {
    return {
      policy,
      drop: true,
      expected_pairs: expected,
      observed_pairs: observed,
      reason: `${fmt(observed)} identical pairs, over ${EXCESS}× the ${fmt(expected)} the columns' value frequencies predict by chance: the repeats look like copied records: dropped`,
    };
  }
  return {
    policy,
    drop: false,
    expected_pairs: expected,
    observed_pairs: observed,
    reason: `repeats are plausible by chance: the columns' value frequencies predict ${fmt(expected)} identical pairs and ${fmt(observed)} are seen, as when different people give the same answers: kept as separate observations (etl.duplicates: "drop" rejects them)`,
  };
}
