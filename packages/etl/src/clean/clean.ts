import { formatCsvField, formatCsvRow } from "../csv/format.js";
import { openCsv } from "../csv/open.js";
import { recordFields } from "../csv/parser.js";
import { HeaderMatcher } from "../csv/repeated-header.js";
import { EtlError } from "../errors.js";
import type { ByteSource } from "../extract/source.js";
import { type CellDecision, type ColumnValues, FAULT, MISMATCH_AS_MISSING, NORMALISED_MISSING } from "../internal/column-values.js";
import { REJECTED, RecordOutcomes, WRITTEN } from "../internal/record-outcomes.js";
import { RowHashSet } from "../internal/row-hash-set.js";
import { ESCAPED, type RowStore, type SpecialRow } from "../internal/row-store.js";
import { hashBytes, hashBytes2, type RecordView } from "../internal/tokenizer.js";
import { AtomicTextWriter } from "../load/atomic.js";
import type { ResolvedEtlOptions } from "../options.js";
import { type Binning, binOf } from "../rules/discretize.js";
import { type Fault, makeChecker, makeFastCheck, REJECT_RULES, type RejectRule } from "../rules/index.js";
import { type CellCounts, emptyCellCounts, type Normaliser } from "../rules/normalise.js";
import { finalSchema } from "../schema/final-schema.js";
import { type InferredSchema, valueReading } from "../schema/infer-schema.js";
import type { ColumnSchema, DatasetSchema } from "../schema/types.js";

export type { RejectRule } from "../rules/index.js";

export interface EtlOutputs {
  /** Where the cleaned rows go (CSV). */
  processed: string;
  /** Where rejected rows go, with line, rule, column and detail (CSV). */
  rejected: string;
}

export interface CleanProgress {
  pass: "clean";
  rows: number;
}

export interface CleanResult {
  schema: DatasetSchema;
  rowsSeen: number;
  rowsOut: number;
  rowsRejected: number;
  rejectedByRule: Partial<Record<RejectRule, number>>;
  cells: CellCounts & { type_mismatch_as_missing: number };
  classCounts: Record<string, number>;
  /** Rows that repeat an earlier row exactly: rejected as duplicate_row when dropped, written otherwise. */
  repeatedRows: number;
}

/** Each reject rule's place in REJECT_RULES (the order the report counts them). */
const RULE_INDEX = Object.fromEntries(REJECT_RULES.map((r, i) => [r, i])) as Record<RejectRule, number>;
const RULES = REJECT_RULES;
/** What processRow returns for a row it wrote (otherwise the index of the rule that rejected it). */
const WRITTEN_ROW = -1;

/**
 * The clean pass: streams the source again, applies the rules the inferred schema and the options
 * call for, and writes the processed rows and the rejected ones (with line, rule, column and reason),
 * both atomically. Every raw value is decided once (see {@link ColumnValues}); a row is then a few
 * table lookups, a 64-bit fingerprint for duplicates and a copy of prepared output bytes.
 */
export async function clean(source: ByteSource, inferred: InferredSchema, outputs: EtlOutputs, onProgress?: (p: CleanProgress) => void): Promise<CleanResult> {
  // The per-value tables count what the pass sees: a second pass over the same ones would count twice.
  if (inferred.cleaned) throw new EtlError("an inferred schema drives one clean pass; call inferSchema again for another");
  inferred.cleaned = true;
  const opts = inferred.options;
  const { columns, planned, values, binnings } = inferred;
  const width = columns.length;
  const targetIndex = columns.indexOf(opts.target);
  const kept = planned.map((s, j) => (s.role === "dropped" ? -1 : j)).filter((j) => j >= 0);
  const isKept = Uint8Array.from(planned, (s) => (s.role === "dropped" ? 0 : 1));
  const dateColumns = new Set(opts.dateOrder.flatMap(({ before, after }) => [before, after]));
  const dateOrder = opts.dateOrder.map(({ before, after }) => ({ b: columns.indexOf(before), a: columns.indexOf(after), before, after }));
  const cells = { ...emptyCellCounts(), type_mismatch_as_missing: 0 };
  for (let j = 0; j < width; j++) {
    const schema = planned[j] as ColumnSchema;
    (values[j] as ColumnValues).prepare(
      makeDecide(schema, opts, inferred.normalisers[j] as Normaliser, schema.role !== "dropped", dateColumns.has(schema.name), binnings[j]),
      makeFastCheck(schema, opts.rules[schema.name], binnings[j] !== undefined || dateColumns.has(schema.name)),
      inferred.rowStore !== undefined,
    );
  }

  const processed = new AtomicTextWriter(outputs.processed);
  const rejected = new AtomicTextWriter(outputs.rejected);
  const rejectedByRule: Partial<Record<RejectRule, number>> = {};
  // Repeats are counted whatever the policy; they are rejected only when it drops them.
  const dedupe = inferred.duplicates.drop;
  let repeatedKept = 0;
  // Replayed rows reach it once per stored record (repeats copy their first rows' outcome).
  const seen = new RowHashSet(inferred.rowStore?.records ?? inferred.rows);
  const out = new ByteBuffer();
  const slots = new Int32Array(width);
  const rejects = new ByteBuffer();
  let rowsOut = 0;
  let rowsRejected = 0;
  let rowsSeen = 0;
  // Rejected rows are written as bytes too: a file of duplicates can reject most of its rows.
  const columnFields = columns.map((c) => formatCsvField(c));
  // ",rule,column," (and the fixed part of a numbered detail) prepared once per rule and column.
  const prefixes: (Buffer | undefined)[] = [];
  /** Writes a rejected row; returns the rule's index (what {@link processRow} returns for the row). */
  const reject = (line: number, rule: RejectRule, column: number, detail: string, detailNumber = -1): number => {
    rowsRejected++;
    rejectedByRule[rule] = (rejectedByRule[rule] ?? 0) + 1;
    rejects.integer(line);
    writeRejectTail(rejects, rule, column, detail, detailNumber);
    return RULE_INDEX[rule];
  };
  /** What a rejected row's line holds after its line number: rule, column, detail, the raw fields (in `slots`). */
  const writeRejectTail = (to: ByteBuffer, rule: RejectRule, column: number, detail: string, detailNumber: number) => {
    const key = ((RULE_INDEX[rule] * (width + 1) + column + 1) << 1) | (detailNumber >= 0 ? 1 : 0);
    let prefix = prefixes[key];
    if (prefix === undefined) {
      prefix = Buffer.from(`,${rule},${column >= 0 ? columnFields[column] : ""},${detailNumber >= 0 ? detail : ""}`, "utf8");
      prefixes[key] = prefix;
    }
    to.append(prefix);
    if (detailNumber >= 0) to.integer(detailNumber);
    else to.text(formatCsvField(detail));
    let size = width + 1;
    for (let j = 0; j < width; j++) size += (values[j] as ColumnValues).raw.length[slots[j] as number] as number;
    const bytes = to.reserve(size);
    let at = to.length;
    for (let j = 0; j < width; j++) {
      const column = values[j] as ColumnValues;
      const slot = slots[j] as number;
      const { start, length } = column.raw;
      const from = column.raw.bufferOf(slot);
      let k = start[slot] as number;
      const end = k + (length[slot] as number);
      bytes[at++] = 44;
      while (k < end) bytes[at++] = from[k++] as number;
    }
    bytes[at++] = 10;
    to.length = at;
  };
  const rejectRagged = (line: number, fields: string[]) => {
    rowsRejected++;
    rejectedByRule.ragged_row = (rejectedByRule.ragged_row ?? 0) + 1;
    rejects.text(formatCsvRow([String(line), "ragged_row", "", `expected ${width} fields, found ${fields.length}`, ...fields]));
  };
  const rejectHeader = (line: number, fields: string[]) => {
    rowsRejected++;
    rejectedByRule.repeated_header = (rejectedByRule.repeated_header ?? 0) + 1;
    rejects.text(formatCsvRow([String(line), "repeated_header", "", "the header row again (files joined end to end?)", ...fields]));
  };
  const header = inferred.headerFields ? new HeaderMatcher(inferred.headerFields, inferred.encoding === "utf-8" ? "utf8" : "latin1") : undefined;

  /**
   * The rules, for a row whose cells are decided (their slots are in `slots`): the index of the rule
   * that rejected it, or WRITTEN_ROW.
   */
  const processRow = (line: number): number => {
    const target = values[targetIndex] as ColumnValues;
    if ((target.flags[slots[targetIndex] as number] as number) & NORMALISED_MISSING) {
      return reject(line, "missing_target", targetIndex, "the target is missing");
    }
    let h1 = 0;
    let h2 = 0;
    for (let j = 0; j < width; j++) {
      const column = values[j] as ColumnValues;
      const slot = slots[j] as number;
      const flags = column.flags[slot] as number;
      if (flags & (FAULT | MISMATCH_AS_MISSING)) {
        if (flags & FAULT) {
          const fault = column.decision(slot).fault as { rule: RejectRule; detail: string };
          return reject(line, fault.rule, j, fault.detail);
        }
        cells.type_mismatch_as_missing++;
      }
      h1 ^= column.hash1[slot] as number;
      h2 = (h2 + (column.hash2[slot] as number)) | 0;
    }
    for (const { b, a, before, after } of dateOrder) {
      const tb = (values[b] as ColumnValues).time[slots[b] as number] as number;
      const ta = (values[a] as ColumnValues).time[slots[a] as number] as number;
      if (tb > ta) {
        const vb = (values[b] as ColumnValues).decision(slots[b] as number).value;
        const va = (values[a] as ColumnValues).decision(slots[a] as number).value;
        return reject(line, "date_order", b, `${before} ${vb} is after ${after} ${va}`);
      }
    }
    const firstLine = seen.addHashes(h1, h2, line);
    if (firstLine >= 0) {
      if (dedupe) return reject(line, "duplicate_row", -1, "same values as line ", firstLine);
      repeatedKept++;
    }
    for (let k = 0; k < kept.length; k++) {
      const j = kept[k] as number;
      const column = values[j] as ColumnValues;
      const slot = slots[j] as number;
      if (k > 0) out.byte(44);
      const bytes = column.out;
      out.copy(slot === 0 ? bytes.scratch : bytes.bytes, bytes.start[slot] as number, bytes.length[slot] as number);
      column.keep(slot);
    }
    out.byte(10);
    rowsOut++;
    return WRITTEN_ROW;
  };

  let csvEncoding: "utf8" | "latin1" = "utf8";
  /** A record read from the source (the second read, when the rows did not fit in memory). */
  const visit = (view: RecordView) => {
    rowsSeen++;
    if (view.count !== width) {
      rejectRagged(view.line, recordFields(view, csvEncoding));
      return;
    }
    if (header?.matches(view)) {
      rejectHeader(view.line, recordFields(view, csvEncoding));
      return;
    }
    const { bytes, starts, ends, hashes, hashes2 } = view;
    for (let j = 0; j < width; j++)
      slots[j] = (values[j] as ColumnValues).slot(bytes, starts[j] as number, ends[j] as number, hashes[j] as number, hashes2[j] as number);
    processRow(view.line);
  };
  // A stored record that repeats is decided on its first rows; its later rows copy the bytes those wrote.
  const store = inferred.rowStore;
  // Only a store holding repeats needs them (a few bytes per record).
  const outcomes = store && store.rows > store.records ? new RecordOutcomes(store.records) : undefined;
  const scratch = new ByteBuffer(1 << 12);
  const rejectedByIndex = new Int32Array(RULES.length);
  /** A row replayed from the profile pass's records. */
  const replayRow = (record: number, line: number) => {
    rowsSeen++;
    // A record with cells kept as bytes is decided row by row, as if read (its cells have no slot to count copies on).
    if (!outcomes || (store as RowStore).escapesOf(record) >= 0) {
      decideRow(record, line);
      return;
    }
    const o = outcomes;
    const state = o.state[record];
    if (state === REJECTED) {
      rowsRejected++;
      const rule = o.rule[record] as number;
      rejectedByIndex[rule] = (rejectedByIndex[rule] as number) + 1;
      rejects.integer(line);
      rejects.append(o.bytesOf(record));
      o.copies[record] = (o.copies[record] as number) + 1;
      return;
    }
    if (state === WRITTEN) {
      rowsOut++;
      out.append(o.bytesOf(record));
      o.copies[record] = (o.copies[record] as number) + 1;
      return;
    }
    const rejectsAt = rejects.length;
    const outAt = out.length;
    const mismatchesBefore = cells.type_mismatch_as_missing;
    const rule = decideRow(record, line);
    if ((store as RowStore).repeatsOf(record) === 0) return;
    const mismatches = cells.type_mismatch_as_missing - mismatchesBefore;
    if (rule !== WRITTEN_ROW) {
      const bytes = rejects.bytesSince(rejectsAt);
      o.remember(record, REJECTED, rule, mismatches, bytes.subarray(bytes.indexOf(44)));
    } else if (!dedupe) {
      o.remember(record, WRITTEN, 0, mismatches, out.bytesSince(outAt));
    } else {
      // Written, and duplicates are dropped: every later row of the record repeats this one.
      scratch.length = 0;
      writeRejectTail(scratch, "duplicate_row", -1, "same values as line ", line);
      o.remember(record, REJECTED, RULE_INDEX.duplicate_row, mismatches, scratch.bytesSince(0));
    }
  };
  /** A replayed row decided cell by cell (see processRow). */
  const decideRow = (record: number, line: number): number => {
    const rowStore = store as RowStore;
    const ids = rowStore.idsOf(record);
    let escaped = rowStore.escapesOf(record);
    for (let j = 0; j < width; j++) {
      const id = ids[j] as number;
      if (id !== ESCAPED) slots[j] = (values[j] as ColumnValues).seenId(id);
      else {
        const { buffer, start, end } = rowStore.escapedCell(escaped++);
        slots[j] = (values[j] as ColumnValues).slot(buffer, start, end, hashBytes(buffer, start, end), hashBytes2(buffer, start, end));
      }
    }
    return processRow(line);
  };
  /** Counts the cells of the rows written by copying (seen, kept, mismatches), one step per record. */
  const settleCopies = () => {
    if (!store || !outcomes) return;
    for (let record = 0; record < store.records; record++) {
      const copies = outcomes.copies[record] as number;
      if (copies === 0) continue;
      const ids = store.idsOf(record);
      const written = outcomes.state[record] === WRITTEN;
      // A written record's copies are its repeats, kept (a dropping policy rejects them instead).
      if (written) repeatedKept += copies;
      for (let j = 0; j < width; j++) (values[j] as ColumnValues).seenRepeats(ids[j] as number, copies, written && isKept[j] === 1);
      cells.type_mismatch_as_missing += copies * (outcomes.mismatches[record] as number);
    }
    for (let k = 0; k < RULES.length; k++) {
      const count = rejectedByIndex[k] as number;
      if (count > 0) rejectedByRule[RULES[k] as RejectRule] = (rejectedByRule[RULES[k] as RejectRule] ?? 0) + count;
    }
  };
  const replayRagged = (line: number, fields: string[], kind: SpecialRow) => {
    rowsSeen++;
    if (kind === "header") rejectHeader(line, fields);
    else rejectRagged(line, fields);
  };
  const flush = async (n: number) => {
    await out.writeTo(processed);
    await rejects.writeTo(rejected);
    onProgress?.({ pass: "clean", rows: n });
  };

  try {
    await processed.write(formatCsvRow(kept.map((j) => columns[j] as string)));
    await rejected.write(formatCsvRow(["source_line", "rule", "column", "detail", ...columns]));
    if (inferred.rowStore) {
      for (const n of inferred.rowStore.replay(replayRow, replayRagged, undefined, { release: true })) await flush(n);
    } else {
      const csv = await openCsv(source, {
        delimiter: inferred.delimiter,
        header: inferred.hasHeader,
        columns,
        ...valueReading(opts),
      });
      csvEncoding = csv.fieldEncoding;
      for await (const n of csv.scan(visit)) await flush(n);
    }
    await out.drain();
    await rejects.drain();
    await processed.commit();
    await rejected.commit();
  } catch (error) {
    await out.drain().catch(() => undefined);
    await rejects.drain().catch(() => undefined);
    await processed.abort();
    await rejected.abort();
    throw error;
  }
  settleCopies();
  for (const v of values) v.addStepCounts(cells);

  // The final schema describes the rows written, from the kept values counted on the way.
  const { schema, classCounts } = finalSchema({
    name: source.name,
    planned,
    kept,
    keptFacts: kept.map((j) => (values[j] as ColumnValues).keptValues()),
    binnings,
    options: opts,
    rowsOut,
    targetIndex,
    positiveClass: inferred.positiveClass,
    negativeClass: inferred.negativeClass,
  });
  return {
    schema,
    rowsSeen,
    rowsOut,
    rowsRejected,
    rejectedByRule,
    cells,
    classCounts,
    repeatedRows: dedupe ? (rejectedByRule.duplicate_row ?? 0) : repeatedKept,
  };
}

/** How one column's raw values are decided: normalise, check against the schema and rules, bin, format (exported for the tests of ColumnValues). */
export function makeDecide(
  schema: ColumnSchema,
  opts: ResolvedEtlOptions,
  normalise: Normaliser,
  written: boolean,
  timed: boolean,
  binning: Binning | undefined,
): (raw: string, counts: CellCounts) => CellDecision {
  const check = makeChecker(schema, opts.rules[schema.name]);
  const missingOnMismatch = opts.onTypeMismatch === "missing";
  return (raw, counts) => {
    const normalised = normalise(raw, counts);
    let value = normalised;
    let fault: Fault | undefined;
    let mismatchAsMissing = false;
    const found = check?.(normalised);
    if (found) {
      if (found.rule === "type_mismatch" && missingOnMismatch) {
        value = "";
        mismatchAsMissing = true;
      } else {
        fault = found;
      }
    }
    let output = "";
    if (written) output = binning && value !== "" ? (binning.labels[binOf(binning.edges, Number(value))] as string) : value;
    const decision: CellDecision = {
      normalised,
      value,
      output,
      mismatchAsMissing,
      time: timed && value !== "" ? Date.parse(value) : Number.NaN,
      outputField: formatCsvField(output),
    };
    if (fault) decision.fault = fault;
    return decision;
  };
}

/** A growable output buffer for the processed rows of one chunk. */
class ByteBuffer {
  private bytes: Buffer;
  private spare: Buffer;
  private pending: Promise<void> | undefined;
  length = 0;

  constructor(size = 1 << 20) {
    this.bytes = Buffer.allocUnsafe(size);
    this.spare = Buffer.allocUnsafe(size);
  }

  byte(b: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = b;
  }

  copy(from: Buffer, start: number, count: number): void {
    if (this.length + count > this.bytes.length) this.grow(count);
    const to = this.bytes;
    let at = this.length;
    if (count < 64) for (let k = 0; k < count; k++) to[at++] = from[start + k] as number;
    else to.set(from.subarray(start, start + count), at);
    this.length += count;
  }

  /** Makes room for `count` more bytes; returns the buffer to write them into at `length`. */
  reserve(count: number): Buffer {
    if (this.length + count > this.bytes.length) this.grow(count);
    return this.bytes;
  }

  /** A non-negative integer in decimal. */
  integer(n: number): void {
    if (this.length + 16 > this.bytes.length) this.grow(16);
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    let at = this.length + digits;
    this.length = at;
    do {
      this.bytes[--at] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  text(s: string): void {
    const n = s.length;
    if (n < 64) {
      // Short ASCII text is copied by hand: cheaper than a native call for every rejected row.
      if (this.length + n > this.bytes.length) this.grow(n);
      const to = this.bytes;
      let at = this.length;
      let k = 0;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c > 127) break;
        to[at++] = c;
      }
      if (k === n) {
        this.length = at;
        return;
      }
    }
    const max = n * 3;
    if (this.length + max > this.bytes.length) this.grow(max);
    this.length += this.bytes.write(s, this.length, "utf8");
  }

  /**
   * Starts writing the bytes so far and goes on in a second buffer, so the next rows are built while
   * these are written; waits only for the write before (whose buffer it is about to reuse).
   */
  async writeTo(writer: AtomicTextWriter): Promise<void> {
    if (this.length === 0) return;
    await this.pending;
    this.pending = writer.write(this.bytes.subarray(0, this.length));
    const spare = this.spare;
    this.spare = this.bytes;
    this.bytes = spare;
    this.length = 0;
  }

  /** Waits for the last write. */
  async drain(): Promise<void> {
    await this.pending;
    this.pending = undefined;
  }

  /** Appends prepared bytes. */
  append(from: Uint8Array): void {
    const count = from.length;
    if (this.length + count > this.bytes.length) this.grow(count);
    const to = this.bytes;
    let at = this.length;
    if (count < 32) for (let k = 0; k < count; k++) to[at++] = from[k] as number;
    else {
      to.set(from, at);
      at += count;
    }
    this.length = at;
  }

  /** The bytes from `start` to the end (a view: copy it before the next write). */
  bytesSince(start: number): Uint8Array {
    return this.bytes.subarray(start, this.length);
  }

  private grow(extra: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + extra));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}
