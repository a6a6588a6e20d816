import type { CsvTokenizer, RecordVisitor } from "../internal/tokenizer.js";

/** Feeds `bytes` to the tokenizer cut at the given offsets (ascending), then ends it: how tests exercise chunk boundaries. */
export function pushInChunks(tokenizer: CsvTokenizer, bytes: Buffer, cuts: number[], visit: RecordVisitor): void {
  let at = 0;
  for (const cut of cuts) {
    tokenizer.push(bytes.subarray(at, cut), visit);
    at = cut;
  }
  tokenizer.push(bytes.subarray(at), visit);
  tokenizer.end(visit);
}
