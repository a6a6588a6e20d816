import { type CellCounts, emptyCellCounts, type Normaliser } from "../rules/normalise.js";
import { ByteDictionary } from "./byte-dictionary.js";
import { grow } from "./grow.js";
import { hashAscii2, plainState, readPaddedNumber } from "./plain-number.js";
import { ColumnProfile, DISTINCT_CAP } from "./profile.js";
import { hashString1, hashString2 } from "./row-hash-set.js";
import { SlotBytes } from "./slot-bytes.js";
import { hashBytes } from "./tokenizer.js";
import { ValueHead } from "./value-head.js";

/** What the clean pass decided about one raw value of a column. */
export interface CellDecision {
  /** The value after normalisation ("" when missing), before type checks. */
  normalised: string;
  /** The value the row carries on: "" when a type mismatch is read as missing. */
  value: string;
  /** What the processed file gets for it (the bin label when discretised). */
  output: string;
  /** The rule that rejects a row holding this value, with its explanation. */
  fault?: { rule: string; detail: string };
  /** A type mismatch read as missing. */
  mismatchAsMissing: boolean;
  /** Milliseconds since the epoch, for columns in a date-order rule (NaN otherwise). */
  time: number;
  /** The output value as a CSV field. */
  outputField: string;
}

export type Decide = (raw: string, counts: CellCounts) => CellDecision;

export const NORMALISED_MISSING = 1;
export const FAULT = 2;
export const MISMATCH_AS_MISSING = 4;

const STEP_NAMES = ["trimmed", "missing_token", "zero_as_missing", "recoded", "case_normalised", "filled"] as const;

/**
 * Past this many distinct values, a column's plain numbers skip its dictionary once nothing needs
 * their ids (the rows are not kept in memory): a lookup in a table that large misses the caches,
 * and a plain number is decided from its bytes for less. The values a profile counts one by one (its
 * first thousand) are then counted in a small {@link ValueHead}, so the profile is the same either way.
 */
const DICTIONARY_BYPASS = 4096;

/**
 * Everything the two passes know about one column's values, keyed by the raw value's dictionary id,
 * so that the work per distinct value is done once, not once per cell. Slot 0 is a scratch slot for
 * cells the dictionary refused (a column with too many distinct values): those are decided one by one.
 */
export class ColumnValues {
  readonly dictionary: ByteDictionary;
  // Pass 1: how often each raw value occurs, and where first.
  private hits = new Int32Array(256);
  private firstLine = new Int32Array(256);
  /** Whether plain numbers skip the dictionary (it overflowed, or grew past DICTIONARY_BYPASS once ids were no longer needed). */
  private bypass = false;
  private idsNeeded = true;
  /** While plain numbers bypass the dictionary: the first DISTINCT_CAP distinct values, counted. */
  private head: ValueHead | undefined;
  /** Cells the dictionary refused, profiled one by one. */
  private readonly overflowProfile: ColumnProfile;
  /** Numbers of refused cells, sampled, for quantile bins. */
  readonly overflowNumbers: number[] = [];
  private overflowNumberCount = 0;
  private sampleState = 0x2545f491;

  // Pass 2, by slot (id + 1; 0 is the scratch slot).
  /** Whether plain numbers that pass the checks skip the dictionary (read again from the source, not replayed). */
  private bypassSlots = false;
  /** The kept plain numbers' first DISTINCT_CAP distinct values, counted (for the final schema's counts). */
  private keptHead: ValueHead | undefined;
  private keptCapped = false;
  /** Slots the tables hold (every dictionary id so far, plus the scratch slot). */
  private slots = 0;
  /** Whether a slot's value is decided: only when a cell needs it (a column of numbers that skip the dictionary may need few). */
  private decided = new Uint8Array(0);
  private decide: Decide | undefined;
  flags = new Uint8Array(0);
  hash1 = new Int32Array(0);
  hash2 = new Int32Array(0);
  time = new Float64Array(0);
  /** Each slot's output value as a CSV field. */
  readonly out = new SlotBytes();
  /** Each slot's raw value as a CSV field, for the rejects file. */
  readonly raw = new SlotBytes();
  private steps = new Uint8Array(0);
  private seen = new Int32Array(0);
  private kept = new Int32Array(0);
  /** Each slot's output value (for the final schema); the whole decision only where a row may need it (faults, dates). */
  private outputs: string[] = [];
  private decisions: (CellDecision | undefined)[] = [];
  /** The kept cells that went through the scratch slot. */
  private keptProfile: ColumnProfile;
  private fastCheck: ((n: number, integer: boolean) => boolean) | undefined;
  private scratchPlain = false;
  private scratchNumber = 0;
  private scratchInteger = false;
  /** Step counts of the cells that went through the scratch slot. */
  private readonly scratchCounts = emptyCellCounts();

  constructor(
    readonly name: string,
    private readonly normalise: Normaliser,
    private readonly encoding: "utf8" | "latin1",
    maxEntries: number,
    private readonly sampleNumbers: boolean,
    /** The column's position in the row, mixed into its cells' row-hash keys. */
    private readonly position: number,
    /** Whether normalisation leaves a plain number as it is (no recode, no zero-as-missing, no numeric missing token). */
    private readonly plainNumbers = false,
  ) {
    this.dictionary = new ByteDictionary(maxEntries);
    this.overflowProfile = new ColumnProfile(name);
    this.keptProfile = new ColumnProfile(name, { trackDistinct: false });
  }

  // ---- pass 1 ----

  /** Says that the profile pass no longer keeps rows as ids: plain numbers of a large dictionary may skip it. */
  idsNoLongerNeeded(): void {
    this.idsNeeded = false;
    this.updateBypass();
  }

  private updateBypass(): void {
    if (this.bypass || !this.plainNumbers) return;
    const full = this.dictionary.overflowed;
    // Quantile bins weigh the dictionary's values by their counts: those stay exact unless it is full.
    if (!full && (this.idsNeeded || this.sampleNumbers || this.dictionary.size < DICTIONARY_BYPASS)) return;
    const head = new ValueHead(DISTINCT_CAP);
    for (let id = 0; id < this.dictionary.size && head.size < DISTINCT_CAP; id++) {
      const value = this.normalise(this.rawText(id));
      if (value === "") continue;
      const h1 = hashString1(value);
      const h2 = hashString2(value);
      if (head.find(h1, h2) < 0) head.add(value, h1, h2, 0);
    }
    // Fewer distinct values than the profile counts: a new one would be counted, so wait (a full dictionary cannot).
    if (head.size < DISTINCT_CAP && !full) return;
    this.head = head;
    this.bypass = true;
  }

  /** Counts one cell of the profile pass; returns its dictionary id, or -1 when the dictionary is full. */
  count(bytes: Buffer, start: number, end: number, hash: number, hash2: number, line: number): number {
    // A column past its dictionary's size is a column of numbers, mostly: those skip the dictionary.
    if (this.bypass && this.countPlain(bytes, start, end, hash, line)) return -1;
    const id = this.dictionary.intern(bytes, start, end, hash, hash2);
    if (id >= 0) {
      if (id >= this.hits.length) {
        this.growCounts();
        this.updateBypass();
      }
      const hits = this.hits[id] as number;
      this.hits[id] = hits + 1;
      if (hits === 0) this.firstLine[id] = line;
      return id;
    }
    this.updateBypass();
    if (this.plainNumbers && this.countPlain(bytes, start, end, hash, line)) return -1;
    const value = this.profileText(this.overflowProfile, bytes.toString(this.encoding, start, end), 1, line);
    if (this.sampleNumbers && value !== "") this.sampleNumber(Number(value));
    return -1;
  }

  /** Profiles a cell that is a plain number once trimmed, without a string; false when it is not one. */
  private countPlain(bytes: Buffer, start: number, end: number, hash: number, line: number): boolean {
    const n = readPaddedNumber(bytes, start, end);
    if (Number.isNaN(n)) return false;
    const { start: from, end: to } = plainState;
    // The tokenizer's first hash of ASCII bytes is hashString1 of their text; a padded cell's value is the trimmed text.
    const hash1 = from === start && to === end ? hash : hashBytes(bytes, from, to);
    const hash2 = hashAscii2(bytes, from, to);
    this.overflowProfile.addPlainNumber(n, plainState.integer, hash1, hash2, line);
    const head = this.head as ValueHead;
    const k = head.find(hash1, hash2);
    if (k >= 0) head.counts[k] = (head.counts[k] as number) + 1;
    else if (head.size < DISTINCT_CAP) head.add(bytes.toString("latin1", from, to), hash1, hash2, 1);
    else this.overflowProfile.distinctCapped = true;
    if (this.sampleNumbers) this.sampleNumber(n);
    return true;
  }

  /** Counts `repeats` more cells holding dictionary value `id` (rows that repeated an earlier one). */
  countRepeats(id: number, repeats: number): void {
    this.hits[id] = (this.hits[id] as number) + repeats;
  }

  /**
   * The profile of the whole column: the refused cells, plus each dictionary value times its count (a
   * plain number from its bytes: a column of numbers that rarely repeat holds tens of thousands).
   */
  profile(): ColumnProfile {
    const p = this.overflowProfile;
    for (let id = 0; id < this.dictionary.size; id++) {
      const hits = this.hits[id] as number;
      const line = this.firstLine[id] as number;
      if (this.plainNumbers) {
        const bytes = this.dictionary.bytesOf(id);
        const n = readPaddedNumber(bytes, 0, bytes.length);
        if (!Number.isNaN(n)) {
          const { start, end, integer } = plainState;
          const text = () => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
          p.addPlainMany(n, integer, hashBytes(bytes, start, end), hashAscii2(bytes, start, end), hits, line, text);
          continue;
        }
      }
      this.profileText(p, this.rawText(id), hits, line);
    }
    const head = this.head;
    if (head) for (let k = 0; k < head.size; k++) p.countValue(head.values[k] as string, head.counts[k] as number);
    return p;
  }

  /** Adds `count` cells of raw text `raw` to `p`, and the missing token among them if one made them missing; returns the normalised value. */
  private profileText(p: ColumnProfile, raw: string, count: number, line: number): string {
    const counts = this.tokenCounts;
    counts.missing_token = 0;
    const value = this.normalise(raw, counts);
    p.addMany(value, count, line);
    if (value === "" && counts.missing_token !== 0) p.addMissingToken(raw.trim(), count);
    return value;
  }

  private readonly tokenCounts = emptyCellCounts();

  /** Each distinct normalised number with how many cells hold it (the refused ones sampled), for bins. */
  weightedNumbers(): { values: Float64Array; weights: Float64Array } {
    const values: number[] = [];
    const weights: number[] = [];
    for (let id = 0; id < this.dictionary.size; id++) {
      const v = this.normalise(this.rawText(id));
      const n = v === "" ? Number.NaN : Number(v);
      if (Number.isFinite(n)) {
        values.push(n);
        weights.push(this.hits[id] as number);
      }
    }
    const sampled = this.overflowNumbers.length;
    for (const n of this.overflowNumbers) {
      if (!Number.isFinite(n)) continue;
      values.push(n);
      weights.push(this.overflowNumberCount / sampled);
    }
    return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
  }

  private sampleNumber(n: number): void {
    const SAMPLE = 100_000;
    this.overflowNumberCount++;
    if (this.overflowNumbers.length < SAMPLE) {
      this.overflowNumbers.push(n);
      return;
    }
    // Reservoir sampling with a fixed-seed xorshift: the same file gives the same bins.
    let x = this.sampleState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.sampleState = x;
    const k = (x >>> 0) % this.overflowNumberCount;
    if (k < SAMPLE) this.overflowNumbers[k] = n;
  }

  private growCounts(): void {
    const hits = new Int32Array(this.hits.length * 2);
    hits.set(this.hits);
    const lines = new Int32Array(this.firstLine.length * 2);
    lines.set(this.firstLine);
    this.hits = hits;
    this.firstLine = lines;
  }

  private rawText(id: number): string {
    const bytes = this.dictionary.bytesOf(id);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(this.encoding);
  }

  // ---- pass 2 ----

  /** Whether the dictionary's latest values (its last `sample`) are all plain numbers: those the clean pass reads again skip the slots. */
  private endsOnPlainNumbers(sample = 16): boolean {
    const size = this.dictionary.size;
    for (let id = Math.max(0, size - sample); id < size; id++) {
      const bytes = this.dictionary.bytesOf(id);
      if (Number.isNaN(readPaddedNumber(bytes, 0, bytes.length))) return false;
    }
    return true;
  }

  /**
   * Readies the pass: decides the values known so far, or (where plain numbers skip the slots) each when
   * a cell first needs it; values first met later are decided when met. `replayed`: the rows come from
   * the profile pass's store, as dictionary ids (every value is needed). `fastCheck`, when given, says
   * whether a plain number passes every check of the column as it is (then its bytes are written as
   * read, without a string); it is given only where the rules do not change such numbers.
   */
  prepare(decide: Decide, fastCheck?: (n: number, integer: boolean) => boolean, replayed = false): void {
    this.decide = decide;
    if (this.plainNumbers && fastCheck) this.fastCheck = fastCheck;
    this.bypassSlots = this.dictionary.overflowed || this.dictionary.size >= DICTIONARY_BYPASS;
    if (this.fastCheck) this.keptHead = new ValueHead(DISTINCT_CAP);
    // Where the source is read again and its numbers skip the slots, most values may never be needed;
    // elsewhere all are, and deciding them in one loop costs less than one by one among the rows.
    const slots = this.dictionary.size + 1;
    const lazy = !replayed && this.fastCheck !== undefined && this.bypassSlots && this.endsOnPlainNumbers();
    this.ensureSlots(lazy ? slots : 1, slots);
  }

  /** The slot describing this cell (deciding it when new), and counts it as seen. */
  slot(bytes: Buffer, start: number, end: number, hash: number, hash2: number): number {
    if (this.fastCheck && this.bypassSlots && this.slotPlain(bytes, start, end, hash)) return 0;
    const id = this.dictionary.intern(bytes, start, end, hash, hash2);
    if (id >= 0) {
      const slot = id + 1;
      if (slot >= this.slots || this.decided[slot] === 0) this.ensureSlots(slot, slot + 1);
      this.seen[slot] = (this.seen[slot] as number) + 1;
      return slot;
    }
    if (this.fastCheck && this.slotPlain(bytes, start, end, hash)) return 0;
    this.fill(0, bytes.toString(this.encoding, start, end), this.scratchCounts);
    return 0;
  }

  /**
   * The scratch slot for a cell that is a plain number once trimmed and passes every check (false
   * otherwise): its output is its trimmed bytes as they are, its raw value the bytes as read.
   */
  private slotPlain(bytes: Buffer, start: number, end: number, hash: number): boolean {
    const n = readPaddedNumber(bytes, start, end);
    if (Number.isNaN(n) || !(this.fastCheck as (n: number, integer: boolean) => boolean)(n, plainState.integer)) return false;
    const { start: from, end: to } = plainState;
    const padded = from !== start || to !== end;
    if (padded) this.scratchCounts.trimmed++;
    this.flags[0] = 0;
    this.hash1[0] = finalMix((padded ? hashBytes(bytes, from, to) : hash) ^ Math.imul(this.position + 1, 0x9e3779b1));
    this.hash2[0] = finalMix(hashAscii2(bytes, from, to) + Math.imul(this.position + 1, 0x85ebca77));
    this.time[0] = Number.NaN;
    this.out.pointScratch(bytes, from, to);
    this.raw.pointScratch(bytes, start, end);
    this.scratchNumber = n;
    this.scratchInteger = plainState.integer;
    this.scratchPlain = true;
    return true;
  }

  /** Counts a cell met by its dictionary id (a row replayed from memory). */
  seenId(id: number): number {
    const slot = id + 1;
    if (slot >= this.slots || this.decided[slot] === 0) this.ensureSlots(slot, slot + 1);
    this.seen[slot] = (this.seen[slot] as number) + 1;
    return slot;
  }

  /** Counts `repeats` more cells met by dictionary id `id`, and as kept when `kept`. */
  seenRepeats(id: number, repeats: number, kept: boolean): void {
    // The record's first row was met by seenId: its slots exist.
    const slot = id + 1;
    this.seen[slot] = (this.seen[slot] as number) + repeats;
    if (kept) this.kept[slot] = (this.kept[slot] as number) + repeats;
  }

  /** Counts a kept cell, for the final schema. */
  keep(slot: number): void {
    if (slot === 0) {
      if (this.scratchPlain) {
        this.keptProfile.addPlainNumber(this.scratchNumber, this.scratchInteger, 0, 0, 0);
        if (!this.keptCapped) this.countKeptPlain();
      } else this.keptProfile.add(this.outputs[0] as string, 0);
    } else this.kept[slot] = (this.kept[slot] as number) + 1;
  }

  private countKeptPlain(): void {
    const head = this.keptHead as ValueHead;
    const h1 = this.hash1[0] as number;
    const h2 = this.hash2[0] as number;
    const k = head.find(h1, h2);
    if (k >= 0) head.counts[k] = (head.counts[k] as number) + 1;
    else {
      const at = this.out.start[0] as number;
      if (!head.add(this.out.scratch.toString("latin1", at, at + (this.out.length[0] as number)), h1, h2, 1)) this.keptCapped = true;
    }
  }

  /** The decision of a slot (its rule and explanation, for the rejects file). */
  decision(slot: number): CellDecision {
    return this.decisions[slot] as CellDecision;
  }

  /** The profile of the kept output values. */
  keptValues(): ColumnProfile {
    const p = this.keptProfile;
    for (let slot = 1; slot < this.slots; slot++) if (this.decided[slot] === 1) p.addMany(this.outputs[slot] as string, this.kept[slot] as number, 0);
    const head = this.keptHead;
    if (head) for (let k = 0; k < head.size; k++) p.countValue(head.values[k] as string, head.counts[k] as number);
    if (this.keptCapped) p.distinctCapped = true;
    return p;
  }

  /** Adds the normalisation steps of every cell seen in the clean pass to `counts`. */
  addStepCounts(counts: CellCounts): void {
    for (const name of STEP_NAMES) counts[name] += this.scratchCounts[name];
    for (let slot = 1; slot < this.slots; slot++) {
      const steps = this.steps[slot] as number;
      if (steps === 0) continue;
      const seen = this.seen[slot] as number;
      for (let b = 0; b < STEP_NAMES.length; b++) if (steps & (1 << b)) counts[STEP_NAMES[b] as keyof CellCounts] += seen;
    }
  }

  /** Decides the undecided slots from `from` to `to` - 1, making room for them first. */
  private ensureSlots(from: number, to: number): void {
    if (to > this.flags.length) {
      const capacity = Math.max(to, this.flags.length * 2, 64);
      this.flags = grow(this.flags, new Uint8Array(capacity));
      this.hash1 = grow(this.hash1, new Int32Array(capacity));
      this.hash2 = grow(this.hash2, new Int32Array(capacity));
      this.time = grow(this.time, new Float64Array(capacity));
      this.out.ensureSlots(capacity);
      this.raw.ensureSlots(capacity);
      this.steps = grow(this.steps, new Uint8Array(capacity));
      this.seen = grow(this.seen, new Int32Array(capacity));
      this.kept = grow(this.kept, new Int32Array(capacity));
      this.decided = grow(this.decided, new Uint8Array(capacity));
    }
    this.slots = Math.max(this.slots, to);
    for (let slot = Math.max(1, from); slot < to; slot++) {
      if (this.decided[slot] === 1) continue;
      const counts = emptyCellCounts();
      this.fill(slot, this.rawText(slot - 1), counts);
      let steps = 0;
      for (let b = 0; b < STEP_NAMES.length; b++) if (counts[STEP_NAMES[b] as keyof CellCounts] > 0) steps |= 1 << b;
      this.steps[slot] = steps;
      this.decided[slot] = 1;
    }
  }

  private fill(slot: number, raw: string, counts: CellCounts): void {
    if (slot === 0) this.scratchPlain = false;
    const d = (this.decide as Decide)(raw, counts);
    this.outputs[slot] = d.output;
    // Wide files hold hundreds of thousands of slots: keep the full decision only where it is read.
    this.decisions[slot] = d.fault || !Number.isNaN(d.time) ? d : undefined;
    this.flags[slot] = (d.normalised === "" ? NORMALISED_MISSING : 0) | (d.fault ? FAULT : 0) | (d.mismatchAsMissing ? MISMATCH_AS_MISSING : 0);
    // Zobrist keys: a row's fingerprint is the XOR (and the sum) of its cells' keys, no per-row hashing.
    this.hash1[slot] = finalMix(hashString1(d.value) ^ Math.imul(this.position + 1, 0x9e3779b1));
    this.hash2[slot] = finalMix(hashString2(d.value) + Math.imul(this.position + 1, 0x85ebca77));
    this.time[slot] = d.time;
    this.out.setText(slot, d.outputField);
    this.raw.setText(slot, rejectField(raw));
    d.outputField = "";
  }
}

/** A raw cell as written to the rejects file: as it came, quoted only when it must be to read back the same. */
function rejectField(raw: string): string {
  if (!/[",\n\r]/.test(raw)) return raw;
  return `"${raw.replaceAll('"', '""')}"`;
}

/** murmur3's finaliser: every input bit flips about half the output bits. */
function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
