import { CsvFormatError } from "../errors.js";
import { decodeText, gunzipIfNeeded } from "../extract/decode.js";
import type { ByteSource } from "../extract/source.js";
import { detectDelimiter, detectHeader } from "./detect.js";
import { CsvParser, type CsvRecord } from "./parser.js";

export interface ReadCsvOptions {
  /** `,` `;` tab or `|`; detected from the first 64 KiB when absent. */
  delimiter?: string;
  /** Whether the first record names the columns; detected when absent. */
  header?: boolean;
  /** Column names to use (required in effect when the file has no header). */
  columns?: readonly string[];
}

export interface CsvStream {
  columns: string[];
  delimiter: string;
  hasHeader: boolean;
  encoding: "utf-8" | "latin1";
  /** Records after the header, each with its source line number. */
  records: AsyncGenerator<CsvRecord>;
  /** The same records, a chunk's worth at a time (faster for large files); read one of the two. */
  batches: AsyncGenerator<CsvRecord[]>;
}

const SAMPLE_CHARS = 64 * 1024;

/** Streams a CSV: detects delimiter, header and encoding from the start, then yields records. */
export async function readCsv(source: ByteSource, options: ReadCsvOptions = {}): Promise<CsvStream> {
  let encoding: "utf-8" | "latin1" = "utf-8";
  const text = decodeText(gunzipIfNeeded(source.open()), (e) => {
    encoding = e;
  });
  // Gather a sample for detection without losing it: it is parsed first below.
  let sample = "";
  let done = false;
  while (sample.length < SAMPLE_CHARS) {
    const next = await text.next();
    if (next.done) {
      done = true;
      break;
    }
    sample += next.value;
  }
  if (sample.trim() === "") {
    throw new CsvFormatError(source.name, 1, undefined, "the file is empty; a CSV needs a header and rows");
  }
  const delimiter = options.delimiter ?? detectDelimiter(sample);
  const hasHeader = options.header ?? (options.columns ? false : detectHeader(sample, delimiter));
  const parser = new CsvParser({ delimiter, file: source.name });

  const chunks = (async function* (): AsyncGenerator<CsvRecord[]> {
    yield parser.push(sample);
    if (!done) for await (const chunk of text) yield parser.push(chunk);
    yield parser.end();
  })();

  // The header (or the first data row) comes from the first non-empty batch.
  let head: CsvRecord[] = [];
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    if (next.value.length > 0) {
      head = next.value;
      break;
    }
  }
  const first = head[0];
  if (!first) throw new CsvFormatError(source.name, 1, undefined, "the file holds no records");
  let columns: string[];
  if (hasHeader) {
    columns = normaliseNames(first.fields);
    head = head.slice(1);
  } else {
    columns = options.columns ? normaliseNames([...options.columns]) : first.fields.map((_, i) => `column_${i + 1}`);
  }
  if (options.columns && hasHeader) columns = normaliseNames([...options.columns]);

  const batches = (async function* (): AsyncGenerator<CsvRecord[]> {
    if (head.length > 0) yield head;
    for await (const batch of chunks) if (batch.length > 0) yield batch;
  })();
  const records = (async function* (): AsyncGenerator<CsvRecord> {
    for await (const batch of batches) yield* batch;
  })();
  return { columns, delimiter, hasHeader, encoding, records, batches };
}

/** Trims names, names blank ones after their position and makes duplicates unique (`name_2`). */
export function normaliseNames(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((name, i) => {
    let base = name.trim();
    if (base === "") base = `column_${i + 1}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}_${count + 1}`;
  });
}
