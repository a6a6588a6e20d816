import { CR, LF, QUOTE, SPACE, TAB } from "./bytes.js";

const LINE_START = 0;
const FIELD_START = 1;
const UNQUOTED = 2;
const QUOTED = 3;
const QUOTE_SEEN = 4;
const COMMENT = 5;

/**
 * Empties the comment lines of a CSV, chunk by chunk: a line whose first character other than spaces
 * and tabs is `comment` (as pandas' `comment="#"` drops a line that starts with it) keeps its line
 * break and loses the rest, and the tokenizer skips it as the blank line it has become, so every
 * line keeps its number. A line inside a quoted field is data, whatever it starts with: the quotes
 * are followed as the tokenizer follows them (a quote opens a field only where a field starts).
 *
 * `separates(byte)` tells a field separator: the delimiter, or spaces and tabs for whitespace files.
 */
export class CommentLines {
  private state = LINE_START;
  /** The spaces and tabs a line started with, held until the line shows whether it is a comment. */
  private blanks: number[] = [];
  private readonly comment: number;

  constructor(
    comment: string,
    private readonly separates: (byte: number) => boolean,
  ) {
    this.comment = comment.charCodeAt(0);
  }

  /** The chunk's bytes with comment lines emptied (a new array); the state carries to the next chunk. */
  push(chunk: Uint8Array): Uint8Array {
    const held = this.blanks.length;
    const out = new Uint8Array(chunk.length + held);
    let at = 0;
    let state = this.state;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (state === COMMENT) {
        if (c === LF || c === CR) {
          out[at++] = c;
          state = LINE_START;
        }
        continue;
      }
      if (state === QUOTED) {
        out[at++] = c;
        if (c === QUOTE) state = QUOTE_SEEN;
        continue;
      }
      if (state === QUOTE_SEEN) {
        out[at++] = c;
        state = c === QUOTE ? QUOTED : c === LF || c === CR ? LINE_START : this.separates(c) ? FIELD_START : UNQUOTED;
        continue;
      }
      if (state === LINE_START) {
        if (c === SPACE || c === TAB) {
          this.blanks.push(c);
          continue;
        }
        if (c === this.comment) {
          this.blanks.length = 0;
          state = COMMENT;
          continue;
        }
        // Not a comment: the blanks held go out as they came, and are the line's first field or separate it.
        const blanks = this.blanks;
        for (let k = 0; k < blanks.length; k++) out[at++] = blanks[k] as number;
        state = blanks.length === 0 || this.separates(blanks[blanks.length - 1] as number) ? FIELD_START : UNQUOTED;
        blanks.length = 0;
      }
      out[at++] = c;
      if (c === LF || c === CR) state = LINE_START;
      else if (this.separates(c)) state = FIELD_START;
      else if (state === FIELD_START && c === QUOTE) state = QUOTED;
      else state = UNQUOTED;
    }
    this.state = state;
    return out.subarray(0, at);
  }

  /** What the input ended on: blanks held at the start of a last line without a line break. */
  end(): Uint8Array {
    const rest = Uint8Array.from(this.blanks);
    this.blanks.length = 0;
    return rest;
  }
}

/**
 * The sample without its comment lines, line by line, for detection: quotes are not followed here, so a
 * line inside a quoted field that starts with the comment character goes too (the scan keeps it).
 */
export function withoutCommentLines(text: string, comment: string): string {
  return text
    .split(/(?<=\n|\r(?!\n))/u)
    .map((line) => (line.trimStart().startsWith(comment) ? line.slice(line.search(/[\r\n]|$/u)) : line))
    .join("");
}
