import type { ByteSource } from "../extract/source.js";
import { ByteBatcher, type CsvByteBatch } from "./byte-batches.js";
import { openCsv, type ReadCsvOptions } from "./open.js";
import { type CsvRecord, recordFields } from "./parser.js";

export type { ReadCsvOptions } from "./open.js";

export interface CsvStream {
  columns: string[];
  delimiter: string;
  hasHeader: boolean;
  encoding: "utf-8" | "latin1";
  /** Records after the header, each with its source line number. */
  records: AsyncGenerator<CsvRecord>;
  /** The same records, a chunk's worth at a time (faster for large files); read one of the four. */
  batches: AsyncGenerator<CsvRecord[]>;
  /** The same records column by column, a chunk's worth at a time; read one of the four. */
  columnBatches: AsyncGenerator<ColumnBatch>;
  /**
   * The same records as bytes (no string per field), in batches of at least `rows` records (fewer at
   * the end), each yielded once a chunk of the source completes it; read one of the four.
   */
  byteBatches(rows?: number): AsyncGenerator<CsvByteBatch>;
  /** The text of a value of column `column` by its id in a byte batch (`CsvByteBatch.ids`). */
  valueText(column: number, id: number): string;
  /**
   * Hands back a byte batch that will not be read again: its arrays collect a later batch, so a long
   * stream allocates nothing per batch. Optional: a batch not handed back is left to the collector.
   */
  releaseBatch(batch: CsvByteBatch): void;
}

/** A chunk of records, column-major: `columns[j][i]` is field j of record i ("" where a short row has none). */
export interface ColumnBatch {
  rows: number;
  lines: Int32Array;
  columns: string[][];
}

/** Streams a CSV as records of strings: detects delimiter, header and encoding from the start. */
export async function readCsv(source: ByteSource, options: ReadCsvOptions = {}): Promise<CsvStream> {
  const csv = await openCsv(source, options);
  const encoding = csv.fieldEncoding;
  const batches = (async function* (): AsyncGenerator<CsvRecord[]> {
    let batch: CsvRecord[] = [];
    for await (const _ of csv.scan((view) => batch.push({ line: view.line, fields: recordFields(view, encoding) }))) {
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
  })();
  const records = (async function* (): AsyncGenerator<CsvRecord> {
    for await (const batch of batches) yield* batch;
  })();
  const width = csv.columns.length;
  const columnBatches = (async function* (): AsyncGenerator<ColumnBatch> {
    for await (const batch of batches) {
      const columns = Array.from({ length: width }, () => new Array<string>(batch.length));
      const lines = new Int32Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const { line, fields } = batch[i] as CsvRecord;
        lines[i] = line;
        for (let j = 0; j < width; j++) (columns[j] as string[])[i] = fields[j] ?? "";
      }
      yield { rows: batch.length, lines, columns };
    }
  })();
  let batcher: ByteBatcher | undefined;
  async function* byteBatches(rows = 8192): AsyncGenerator<CsvByteBatch> {
    const collect = new ByteBatcher(width, encoding);
    batcher = collect;
    for await (const _ of csv.scan((view) => collect.add(view))) {
      if (collect.size >= rows) yield collect.take();
    }
    if (collect.size > 0) yield collect.take();
  }
  const valueText = (column: number, id: number): string => {
    if (!batcher) throw new RangeError("valueText reads the values of byteBatches: read the stream with byteBatches first");
    return batcher.valueText(column, id);
  };
  const releaseBatch = (batch: CsvByteBatch): void => batcher?.release(batch);
  return {
    columns: csv.columns,
    delimiter: csv.delimiter,
    hasHeader: csv.hasHeader,
    encoding: csv.encoding,
    records,
    batches,
    columnBatches,
    byteBatches,
    valueText,
    releaseBatch,
  };
}
