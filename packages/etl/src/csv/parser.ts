import { CsvTokenizer, type RecordView } from "../internal/tokenizer.js";

/** One parsed record with the 1-based line number where it starts in the source. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvParserOptions {
  delimiter: string;
  quote?: string;
  /** Used in error messages only. */
  file?: string;
}

/** Decodes a record view into strings (UTF-8 unless told otherwise). */
export function recordFields(view: RecordView, encoding: BufferEncoding = "utf8"): string[] {
  const fields: string[] = new Array(view.count);
  const { bytes, starts, ends, count } = view;
  // One native decode of the whole record, then substrings: Latin-1 maps bytes to characters one to
  // one, so the spans index the text directly — right for Latin-1, and for UTF-8 when every byte is ASCII.
  const base = starts[0] as number;
  const text = bytes.toString("latin1", base, ends[count - 1] as number);
  if (encoding === "latin1" || !NON_ASCII.test(text)) {
    for (let k = 0; k < count; k++) fields[k] = text.slice((starts[k] as number) - base, (ends[k] as number) - base);
    return fields;
  }
  for (let k = 0; k < count; k++) fields[k] = bytes.toString(encoding, starts[k], ends[k]);
  return fields;
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The record-of-strings face of {@link CsvTokenizer}, for text already in memory: push text chunks,
 * get complete records back. Same grammar and errors as the byte tokenizer (one implementation).
 */
export class CsvParser {
  private readonly tokenizer: CsvTokenizer;
  private out: CsvRecord[] = [];
  private highSurrogate = "";
  private readonly collect = (view: RecordView) => {
    this.out.push({ line: view.line, fields: recordFields(view) });
  };

  constructor(options: CsvParserOptions) {
    this.tokenizer = new CsvTokenizer(options);
  }

  /** Parses as much of `chunk` as forms complete records. */
  push(chunk: string): CsvRecord[] {
    let text = this.highSurrogate + chunk;
    this.highSurrogate = "";
    // A chunk may end between the two halves of a surrogate pair: encode the pair whole.
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.highSurrogate = text.slice(-1);
      text = text.slice(0, -1);
    }
    this.tokenizer.push(Buffer.from(text, "utf8"), this.collect);
    return this.take();
  }

  /** Flushes the last record; throws if a quoted field was never closed. */
  end(): CsvRecord[] {
    if (this.highSurrogate) this.tokenizer.push(Buffer.from(this.highSurrogate, "utf8"), this.collect);
    this.highSurrogate = "";
    this.tokenizer.end(this.collect);
    return this.take();
  }

  private take(): CsvRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}

/** Parses a whole CSV string at once (tests, small inputs). */
export function parseCsv(text: string, options: CsvParserOptions): CsvRecord[] {
  const parser = new CsvParser(options);
  return [...parser.push(text), ...parser.end()];
}
