import { hashBytes, hashBytes2, type RecordView } from "../internal/tokenizer.js";
import { ByteBatcher, type CsvByteBatch } from "./byte-batches.js";

const COMMA = 0x2c;

/**
 * Rows that arrive as text cells (an engine's result: DuckDB, ClickHouse) collected into the
 * {@link CsvByteBatch}es a CSV read as bytes gives: each cell's UTF-8 bytes, its id in its column's
 * dictionary, each row's line. What scores a CSV without a string per cell then scores a table the
 * same way: each column's distinct values decided once, the rows written back as bytes.
 *
 * A row's cells are laid out one comma apart, as a CSV line of plain fields would be, so a row
 * whose cells need no quoting is written out by copying its bytes once.
 *
 * @example
 * const rows = new TextRowBatcher(2);
 * rows.add(1, ["39", "Leeds"]);
 * rows.addJoined(2, "41\u001fYork", "\u001f");
 * const batch = rows.take(); // batch.rows === 2; rows.valueText(1, batch.ids[1]) === "Leeds"
 */
export class TextRowBatcher {
  private readonly batcher: ByteBatcher;
  private scratch = Buffer.alloc(1 << 12);
  private readonly view: RecordView;

  constructor(private readonly width: number) {
    this.batcher = new ByteBatcher(width, "utf8");
    this.view = {
      bytes: this.scratch,
      starts: new Int32Array(width),
      ends: new Int32Array(width),
      hashes: new Int32Array(width),
      hashes2: new Int32Array(width),
      count: width,
      line: 0,
      quoted: false,
      lineStart: 0,
      lineEnd: -1,
      lineHash: 0,
    };
  }

  /** Rows collected since the last `take`. */
  get size(): number {
    return this.batcher.size;
  }

  /** The text of value `id` of column `column` (an id from a batch's `ids`). */
  valueText(column: number, id: number): string {
    return this.batcher.valueText(column, id);
  }

  /** The rows collected since the last `take`, as a batch of their own. */
  take(): CsvByteBatch {
    return this.batcher.take();
  }

  /** Hands back a batch no longer read (see ByteBatcher.release). */
  release(batch: CsvByteBatch): void {
    this.batcher.release(batch);
  }

  /** A row of `width` cells, at line `line`. */
  add(line: number, cells: readonly string[]): void {
    if (cells.length !== this.width) throw new RangeError(`a row of ${cells.length} cells where the table has ${this.width} columns`);
    let room = cells.length;
    for (const cell of cells) room += 3 * cell.length;
    const b = this.room(room);
    const { starts, ends } = this.view;
    let at = 0;
    for (let k = 0; k < cells.length; k++) {
      if (k > 0) b[at++] = COMMA;
      starts[k] = at;
      at += b.write(cells[k] as string, at, "utf8");
      ends[k] = at;
    }
    this.collect(line);
  }

  /**
   * A row given as one text, its `width` cells joined by `separator` (one character below U+0080
   * that no cell holds: an engine joins a row's cells in one text because handing out each cell
   * costs a native call).
   */
  addJoined(line: number, text: string, separator: string): void {
    const code = separator.charCodeAt(0);
    if (separator.length !== 1 || code >= 0x80) throw new RangeError(`the separator is one character below U+0080, not ${JSON.stringify(separator)}`);
    const b = this.room(3 * text.length);
    const end = b.write(text, 0, "utf8");
    const { starts, ends } = this.view;
    let k = 0;
    starts[0] = 0;
    for (let i = 0; i < end; i++) {
      if (b[i] !== code) continue;
      if (++k >= this.width) break;
      ends[k - 1] = i;
      starts[k] = i + 1;
      b[i] = COMMA;
    }
    if (k !== this.width - 1) throw new RangeError(`a row of ${k + 1} or more cells where the table has ${this.width} columns (line ${line})`);
    ends[k] = end;
    this.collect(line);
  }

  /** The scratch buffer, at least `bytes` long. */
  private room(bytes: number): Buffer {
    if (this.scratch.length < bytes) {
      this.scratch = Buffer.alloc(Math.max(bytes, 2 * this.scratch.length));
      this.view.bytes = this.scratch;
    }
    return this.scratch;
  }

  /** Hashes each cell as the tokenizer does and hands the row to the batcher. */
  private collect(line: number): void {
    const { bytes, starts, ends, hashes, hashes2 } = this.view;
    for (let k = 0; k < this.width; k++) {
      hashes[k] = hashBytes(bytes, starts[k] as number, ends[k] as number);
      hashes2[k] = hashBytes2(bytes, starts[k] as number, ends[k] as number);
    }
    this.view.line = line;
    this.batcher.add(this.view);
  }
}
