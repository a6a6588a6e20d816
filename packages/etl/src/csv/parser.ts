import { CsvFormatError } from "../errors.js";

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

/**
 * An incremental RFC 4180 parser: push text chunks, get complete records back.
 * It keeps only the unfinished record between chunks, so memory stays flat on any file size.
 * Accepts \n, \r\n and \r line endings, quoted fields with delimiters, quotes ("") and newlines.
 */
export class CsvParser {
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly file: string;
  private field = "";
  private fields: string[] = [];
  private inQuotes = false;
  /** The closing quote of a quoted field was seen; only a delimiter or a newline may follow. */
  private afterQuote = false;
  private fieldWasQuoted = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 0;
  private pendingCR = false;
  private maybeEscapedQuote = false;
  private quotedCR = false;

  constructor(options: CsvParserOptions) {
    if (options.delimiter.length !== 1) throw new RangeError("delimiter must be one character");
    this.delimiter = options.delimiter.charCodeAt(0);
    this.quote = (options.quote ?? '"').charCodeAt(0);
    this.file = options.file ?? "<input>";
  }

  /** Parses as much of `chunk` as forms complete records. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const d = this.delimiter;
    const q = this.quote;
    let start = 0;
    let i = 0;
    const n = chunk.length;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (n > 0 && chunk.charCodeAt(0) === 10) {
        start = 1;
        i = 1;
      }
    }
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inQuotes) {
        if (c === q) {
          this.field += chunk.slice(start, i);
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === q) {
              this.field += '"';
              i++;
              start = i + 1;
            } else {
              this.inQuotes = false;
              this.afterQuote = true;
              start = i + 1;
            }
          } else {
            // The quote is the chunk's last character: decide with the next chunk.
            this.inQuotes = false;
            this.afterQuote = true;
            this.maybeEscapedQuote = true;
            start = i + 1;
          }
        } else if (c === 10) {
          // A \n right after a \r (maybe across chunks) ends the same line.
          if (!this.quotedCR) this.line++;
          this.quotedCR = false;
        } else if (c === 13) {
          this.line++;
          this.quotedCR = true;
        } else {
          this.quotedCR = false;
        }
        continue;
      }
      if (this.maybeEscapedQuote) {
        this.maybeEscapedQuote = false;
        if (c === q) {
          this.field += '"';
          this.inQuotes = true;
          this.afterQuote = false;
          start = i + 1;
          continue;
        }
      }
      if (c === d) {
        this.endField(chunk.slice(start, i));
        start = i + 1;
      } else if (c === 10 || c === 13) {
        this.endField(chunk.slice(start, i));
        this.endRecord(out);
        if (c === 13) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === 10) i++;
          } else {
            this.pendingCR = true;
          }
        }
        this.line++;
        this.recordLine = this.line;
        start = i + 1;
      } else if (c === q && !this.afterQuote && this.field.length === 0 && i === start) {
        this.inQuotes = true;
        this.fieldWasQuoted = true;
        this.quoteLine = this.line;
        start = i + 1;
      } else if (this.afterQuote) {
        throw new CsvFormatError(
          this.file,
          this.line,
          this.fields.length + 1,
          `unexpected character ${JSON.stringify(chunk[i])} after a closing quote; quotes inside a quoted field must be doubled ("")`,
        );
      }
    }
    if (start < n) this.field += chunk.slice(start, n);
    return out;
  }

  /** Flushes the last record; throws if a quoted field was never closed. */
  end(): CsvRecord[] {
    if (this.inQuotes) {
      throw new CsvFormatError(
        this.file,
        this.quoteLine,
        this.fields.length + 1,
        "a quoted field is never closed (unterminated quote); close it or remove the stray quote",
      );
    }
    const out: CsvRecord[] = [];
    if (this.field.length > 0 || this.fields.length > 0 || this.fieldWasQuoted) {
      this.endField("");
      this.endRecord(out);
    }
    return out;
  }

  private endField(tail: string): void {
    this.fields.push(this.field + tail);
    this.field = "";
    this.afterQuote = false;
    this.maybeEscapedQuote = false;
  }

  private endRecord(out: CsvRecord[]): void {
    const fields = this.fields;
    this.fields = [];
    // A line with nothing on it is not a record (blank lines are skipped, as pandas does).
    const blank = fields.length === 1 && fields[0] === "" && !this.fieldWasQuoted;
    if (!blank) out.push({ line: this.recordLine, fields });
    this.fieldWasQuoted = false;
  }
}

/** Parses a whole CSV string at once (tests, small inputs). */
export function parseCsv(text: string, options: CsvParserOptions): CsvRecord[] {
  const parser = new CsvParser(options);
  return [...parser.push(text), ...parser.end()];
}
