import type { ByteSource } from "../extract/source.js";
import type { CsvTokenizer, RecordVisitor } from "../internal/tokenizer.js";
import { type OpenedCsv, openCsv, type ReadCsvOptions } from "./open.js";

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

/** A source that hands out `content` in chunks of `chunk` bytes (small: the layout rewrites carry their state across chunks). */
export function chunkedSource(name: string, content: string | Buffer, chunk = 5): ByteSource {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return {
    name,
    size: async () => bytes.length,
    async *open() {
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
    },
  };
}

/** What openCsv makes of a source: the opened CSV, and each record's line and fields as text. */
export async function openedRecords(source: ByteSource, options: ReadCsvOptions = {}): Promise<{ csv: OpenedCsv; rows: [number, string[]][] }> {
  const csv = await openCsv(source, options);
  const rows: [number, string[]][] = [];
  for await (const _ of csv.scan((v) => rows.push([v.line, Array.from({ length: v.count }, (_, k) => v.bytes.toString("utf8", v.starts[k], v.ends[k]))])));
  return { csv, rows };
}
