import { EtlError } from "../errors.js";

/**
 * The profile pass's rows kept as dictionary ids (two bytes a cell) with their source lines, so the
 * clean pass can replay them instead of reading and parsing the source again. Bounded: it gives up
 * (and frees its memory) once it would pass `maxCells`, or as soon as one cell has no id; the clean
 * pass then streams the source a second time.
 */
export class RowStore {
  private chunks: Uint16Array[] = [];
  private lineChunks: Int32Array[] = [];
  private readonly rowsPerChunk: number;
  /** Rows whose field count is wrong, with their position among all records and their fields. */
  private ragged: { ordinal: number; line: number; fields: string[] }[] = [];
  private current: Uint16Array;
  private currentLines: Int32Array;
  private inChunk = 0;
  private cursor = 0;
  rows = 0;
  private records = 0;
  abandoned = false;

  constructor(
    readonly width: number,
    private readonly maxCells = 32 << 20,
    private readonly maxRagged = 10_000,
  ) {
    this.rowsPerChunk = Math.max(1, Math.floor((1 << 18) / Math.max(1, width)));
    this.current = new Uint16Array(this.rowsPerChunk * width);
    this.currentLines = new Int32Array(this.rowsPerChunk);
  }

  /** Where the next row's ids go (`ids[offset + j]`); call {@link commit} once they are written. */
  begin(line: number): Uint16Array {
    if (this.inChunk === this.rowsPerChunk) {
      this.chunks.push(this.current);
      this.lineChunks.push(this.currentLines);
      this.current = new Uint16Array(this.rowsPerChunk * this.width);
      this.currentLines = new Int32Array(this.rowsPerChunk);
      this.inChunk = 0;
    }
    this.currentLines[this.inChunk] = line;
    this.cursor = this.inChunk * this.width;
    return this.current;
  }

  get offset(): number {
    return this.cursor;
  }

  commit(): void {
    this.inChunk++;
    this.rows++;
    this.records++;
    if (this.rows * this.width > this.maxCells) this.abandon();
  }

  addRagged(line: number, fields: string[]): void {
    if (this.ragged.length >= this.maxRagged) this.abandon();
    else this.ragged.push({ ordinal: this.records, line, fields });
    this.records++;
  }

  abandon(): void {
    this.abandoned = true;
    this.chunks = [];
    this.lineChunks = [];
    this.ragged = [];
    this.current = new Uint16Array(0);
    this.currentLines = new Int32Array(0);
    this.inChunk = 0;
  }

  /**
   * Replays the records in source order: `row(ids, offset, line)` for a full row, `ragged(line, fields)`
   * for one with the wrong field count. Yields every `batch` records so the caller can write.
   */
  *replay(row: (ids: Uint16Array, offset: number, line: number) => void, ragged: (line: number, fields: string[]) => void, batch = 16_384): Generator<number> {
    if (this.abandoned) throw new EtlError("the profile pass did not keep its rows (they did not fit in inMemoryCells); read the source again");
    const chunks = [...this.chunks, this.current];
    const lineChunks = [...this.lineChunks, this.currentLines];
    let next = 0;
    let ordinal = 0;
    let done = 0;
    const width = this.width;
    for (let c = 0; c < chunks.length; c++) {
      const ids = chunks[c] as Uint16Array;
      const lines = lineChunks[c] as Int32Array;
      const count = c === chunks.length - 1 ? this.inChunk : this.rowsPerChunk;
      for (let r = 0; r < count; r++) {
        for (let g = this.ragged[next]; g !== undefined && g.ordinal === ordinal; g = this.ragged[++next]) {
          ragged(g.line, g.fields);
          ordinal++;
        }
        row(ids, r * width, lines[r] as number);
        ordinal++;
        if (++done % batch === 0) yield done;
      }
    }
    for (let g = this.ragged[next]; g !== undefined; g = this.ragged[++next]) ragged(g.line, g.fields);
    yield done;
  }
}
