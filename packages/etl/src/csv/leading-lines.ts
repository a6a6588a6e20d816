import { CR, LF } from "./bytes.js";

/**
 * Empties the first `count` lines of a file, chunk by chunk (pandas' `skiprows=count`): a title, notes
 * or a line of counts above the header. Each keeps its line break and loses the rest, so the
 * tokenizer skips it as a blank line and every later line keeps its number in messages and in the
 * rejects file. Lines are the file's own (LF, CRLF or CR), quotes or not: what a reader counts.
 */
export class LeadingLines {
  private left: number;
  /** The last byte seen was a CR ending a skipped line: an LF right after it belongs to that line. */
  private afterCR = false;

  constructor(count: number) {
    this.left = count;
  }

  /** The chunk with what is left of the first lines emptied; the chunk itself once they are past. */
  push(chunk: Uint8Array): Uint8Array {
    if (chunk.length === 0 || (this.left === 0 && !this.afterCR)) return chunk;
    const breaks: number[] = [];
    let i = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (chunk[0] === LF) {
        breaks.push(LF);
        i = 1;
      }
    }
    for (; i < chunk.length && this.left > 0; i++) {
      const c = chunk[i] as number;
      if (c !== LF && c !== CR) continue;
      breaks.push(c);
      this.left--;
      if (c === CR) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === LF) breaks.push(chunk[++i] as number);
        } else this.afterCR = true;
      }
    }
    const out = new Uint8Array(breaks.length + chunk.length - i);
    out.set(breaks);
    out.set(chunk.subarray(i), breaks.length);
    return out;
  }
}

/** `text` with its first `count` lines emptied (their line breaks kept), as {@link LeadingLines} does to the bytes. */
export function withoutLeadingLines(text: string, count: number): string {
  if (count === 0) return text;
  const encoded = new TextEncoder().encode(text);
  return new TextDecoder().decode(new LeadingLines(count).push(encoded));
}
