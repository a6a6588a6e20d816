import { CR, LF, QUOTE, SPACE, TAB } from "./bytes.js";

/** The delimiter option naming fields separated by runs of spaces and tabs (pandas' `sep=r"\s+"`). */
export const WHITESPACE = "whitespace";

const LINE_START = 0;
const FIELD = 1;
const GAP = 2;
const QUOTED = 3;
const QUOTE_SEEN = 4;

/**
 * Rewrites a file whose fields are separated by runs of spaces and tabs (columns aligned by padding,
 * R's `write.table`, many scientific and UCI files) as tab-separated bytes, chunk by chunk: a run
 * between two fields becomes one tab, the white space that starts or ends a line goes, and a quoted
 * field keeps its spaces, tabs and line breaks. The tab-separated result then goes through the one
 * CSV tokenizer, so quoting, line numbers and errors are the tokenizer's; line breaks are never
 * added or removed, so a line keeps its number.
 *
 * A quote opens a quoted field only where a field starts (as in RFC 4180); elsewhere it is text.
 */
export class WhitespaceRuns {
  private state = LINE_START;

  /**
   * The chunk's bytes rewritten, in a new array; the state carries to the next chunk. At most one byte
   * longer than the chunk: the tab of a run the previous chunk ended in.
   */
  push(chunk: Uint8Array): Uint8Array {
    const out = new Uint8Array(chunk.length + 1);
    let at = 0;
    let state = this.state;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (state === QUOTED) {
        out[at++] = c;
        if (c === QUOTE) state = QUOTE_SEEN;
        continue;
      }
      if (state === QUOTE_SEEN) {
        if (c === QUOTE) {
          // A doubled quote inside the field.
          out[at++] = c;
          state = QUOTED;
          continue;
        }
        state = FIELD;
      }
      if (c === SPACE || c === TAB) {
        if (state === FIELD) state = GAP;
        continue;
      }
      if (c === LF || c === CR) {
        out[at++] = c;
        state = LINE_START;
        continue;
      }
      if (state === GAP) out[at++] = TAB;
      out[at++] = c;
      state = state === FIELD || c !== QUOTE ? FIELD : QUOTED;
    }
    this.state = state;
    return out.subarray(0, at);
  }
}

/** `text` as {@link WhitespaceRuns} rewrites it (detection reads the sample this way). */
export function whitespaceToTabs(text: string): string {
  return Buffer.from(new WhitespaceRuns().push(Buffer.from(text, "utf8"))).toString("utf8");
}
