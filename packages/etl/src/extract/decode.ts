import { Readable } from "node:stream";
import { TextDecoder } from "node:util";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";

/** Decompresses a gzip stream (detected by its magic bytes, whatever the file is called); other bytes pass through. */
export async function* gunzipIfNeeded(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  // Whoever stops reading early (a reader that needs only the first rows) must still close the
  // source: returning `rest` returns the source's iterator, which closes its file or connection.
  const rest = (async function* () {
    try {
      yield first.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.(undefined);
    }
  })();
  if (first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b) {
    // zlib works on its input after it is handed over, and sources may reuse their chunk buffers.
    const copies = (async function* () {
      for await (const chunk of rest) yield Buffer.from(chunk);
    })();
    const input = Readable.from(copies);
    try {
      yield* input.pipe(createGunzip());
    } finally {
      input.destroy();
      await rest.return(undefined);
    }
  } else {
    yield* rest;
  }
}

/** Turns byte chunks into text: strips a UTF-8 BOM, and falls back to Latin-1 when the bytes are not UTF-8. */
export async function* decodeText(chunks: AsyncIterable<Uint8Array>, onEncoding?: (encoding: "utf-8" | "latin1") => void): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let first = true;
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (first) {
      first = false;
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
      }
      decoder = new TextDecoder(looksLikeUtf8(bytes) ? "utf-8" : "latin1");
      onEncoding?.(decoder.encoding === "utf-8" ? "utf-8" : "latin1");
    }
    yield (decoder as TextDecoder).decode(bytes, { stream: true });
  }
  if (decoder) {
    const tail = decoder.decode();
    if (tail) yield tail;
  }
}

/** True when the first chunk is valid UTF-8 (a sequence cut at the chunk's end is allowed). */
export function looksLikeUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Files that are not text, by their first bytes: what they are and what to do instead. */
const SIGNATURES: { bytes: number[]; what: string; instead: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: "a zip archive (an Excel .xlsx workbook is one too)",
    instead: "unzip it, or save the sheet as CSV, and pass the CSV",
  },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: "an empty zip archive", instead: "pass a CSV" },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: "an Excel 97-2003 workbook (an OLE2 document)",
    instead: "save the sheet as CSV and pass that",
  },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: "a Parquet file", instead: "give it the .parquet extension: pipe reads Parquet through DuckDB" },
  { bytes: [0x42, 0x5a, 0x68], what: "compressed with bzip2", instead: "decompress it (or recompress it with gzip, which pipe reads)" },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: "compressed with xz", instead: "decompress it (or recompress it with gzip, which pipe reads)" },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: "compressed with zstd", instead: "decompress it (or recompress it with gzip, which pipe reads)" },
  {
    bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00],
    what: "a SQLite database",
    instead: "export the table as CSV",
  },
  { bytes: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: "an Arrow (Feather) file", instead: "write it as Parquet or CSV and pass that" },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: "a PDF document", instead: "pass the data as a CSV file" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image", instead: "pass the data as a CSV file" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image", instead: "pass the data as a CSV file" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "a GIF image", instead: "pass the data as a CSV file" },
];

/**
 * Refuses a binary file of a kind not named above — bytes that text does not hold (NUL; control
 * characters other than tab and line ends) make over 1% (NUL) or 5% (any) of the first block of a file
 * that is not UTF-16 — rather than failing at some later byte with a quoting error. (A stray NUL or
 * control character in a text export, as some databases pad fields, is read as it was.)
 */
export function refuseBinaryBytes(first: Uint8Array, name: string): void {
  const block = first.subarray(0, 4096);
  let nul = 0;
  let control = 0;
  for (const b of block) {
    if (b === 0) nul++;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  if (nul > 0.01 * block.length || control > 0.05 * block.length)
    throw new InputError(
      `${name} is a binary file (${control} of its first ${block.length} bytes are control characters${nul ? `, ${nul} of them NUL` : ""}, which text does not hold), not a CSV: pass the data as a CSV file`,
    );
}

/**
 * Refuses a file that is not text (an archive, a workbook, Parquet, another compression), saying what
 * it is and what to pass instead, rather than failing on its bytes as a broken CSV.
 */
export function refuseBinary(first: Uint8Array, name: string): void {
  for (const { bytes, what, instead } of SIGNATURES) {
    if (first.length >= bytes.length && bytes.every((b, i) => first[i] === b)) {
      throw new InputError(`${name} is ${what}, not a CSV: ${instead}`);
    }
  }
}

/**
 * Refuses JSON — an array of records, or JSON Lines (a record a line, as log and API exports write) —
 * which would otherwise fail as a CSV with a stray quote, saying how to make it a CSV or Parquet file.
 * Told by its start: `[` then `{`, or a first line that is a JSON object on its own.
 */
export function refuseJson(first: Uint8Array, name: string): void {
  const text = Buffer.from(first.subarray(0, 4096))
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  const lead = text.trimStart();
  const array = /^\[\s*\{/.test(lead);
  let lines = false;
  if (!array && lead.startsWith("{")) {
    const line = lead.split(/\r?\n/, 1)[0] as string;
    try {
      lines = typeof JSON.parse(line) === "object";
    } catch {
      lines = false;
    }
  }
  if (!array && !lines) return;
  const file = name.replaceAll("'", "''");
  throw new InputError(
    `${name} is ${lines ? "JSON Lines (a JSON record a line)" : "a JSON array of records"}, not a CSV: pipe reads CSV and Parquet files and DuckDB or ClickHouse tables; convert it first, e.g. with DuckDB: duckdb -c "COPY (SELECT * FROM read_json('${file}')) TO 'data.parquet'" and pass data.parquet`,
  );
}

/** Which UTF-16 the first bytes are in: by the byte-order mark, or by zero bytes where ASCII text in UTF-16 has them. */
export function utf16Of(first: Uint8Array): "UTF-16LE" | "UTF-16BE" | undefined {
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return "UTF-16LE";
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return "UTF-16BE";
  const pairs = Math.min(first.length, 4096) >> 1;
  if (pairs < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (first[2 * i] === 0) evenZeros++;
    if (first[2 * i + 1] === 0) oddZeros++;
  }
  // Text in a single-byte or UTF-8 encoding has no zero bytes; UTF-16 of mostly ASCII has one in every pair.
  if (oddZeros > 0.7 * pairs && evenZeros < 0.05 * pairs) return "UTF-16LE";
  if (evenZeros > 0.7 * pairs && oddZeros < 0.05 * pairs) return "UTF-16BE";
  return undefined;
}

/**
 * The bytes as UTF-8 text: UTF-16 (Excel's "Unicode Text", Windows PowerShell's redirections) is
 * converted chunk by chunk (a character split between chunks is joined; the byte-order mark goes);
 * anything else passes through. Binary files are refused ({@link refuseBinary}). Line breaks are
 * kept, so line numbers are the file's.
 */
export async function* utf8Text(
  chunks: AsyncIterable<Uint8Array>,
  name: string,
  onUtf16?: (encoding: "UTF-16LE" | "UTF-16BE") => void,
): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    // Enough bytes to tell (a network source may hand out a few at a time).
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < 4096) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(Buffer.from(next.value));
      headBytes += next.value.length;
    }
    if (headBytes === 0) return;
    const first = { value: head.length === 1 ? (head[0] as Uint8Array) : Buffer.concat(head) };
    refuseBinary(first.value, name);
    refuseJson(first.value, name);
    const utf16 = utf16Of(first.value);
    if (!utf16) {
      refuseBinaryBytes(first.value, name);
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      return;
    }
    onUtf16?.(utf16);
    const decoder = new TextDecoder("utf-16le");
    // Big-endian pairs are swapped into little-endian ones (one byte may wait for its partner).
    let odd: number | undefined;
    const littleEndian = (chunk: Uint8Array): Uint8Array => {
      if (utf16 === "UTF-16LE") return chunk;
      const joined = odd === undefined ? chunk : Buffer.concat([Uint8Array.of(odd), chunk]);
      const even = joined.length & ~1;
      odd = even < joined.length ? joined[even] : undefined;
      const swapped = new Uint8Array(even);
      for (let i = 0; i < even; i += 2) {
        swapped[i] = joined[i + 1] as number;
        swapped[i + 1] = joined[i] as number;
      }
      return swapped;
    };
    yield Buffer.from(decoder.decode(littleEndian(first.value), { stream: true }), "utf8");
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield Buffer.from(decoder.decode(littleEndian(next.value), { stream: true }), "utf8");
    }
    const tail = decoder.decode();
    if (tail) yield Buffer.from(tail, "utf8");
  } finally {
    await iterator.return?.(undefined);
  }
}

/**
 * Windows-1252's characters for bytes 0x80–0x9F, where Latin-1 has control codes (the WHATWG mapping:
 * the five Windows leaves undefined stay their control code).
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
  0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** The code point of a Windows-1252 byte. */
function windows1252(b: number): number {
  return b >= 0x80 && b < 0xa0 ? (WINDOWS_1252_HIGH[b - 0x80] as number) : b;
}

/**
 * Windows-1252 bytes (what Excel on Windows saves as "CSV" in Western locales; Latin-1 but for
 * 0x80–0x9F, where it puts € ‘ ’ “ ” – — …) as UTF-8. Byte by byte: a chunk may end anywhere, and
 * ASCII bytes (every delimiter, quote and line break) are unchanged.
 */
export function windows1252ToUtf8(bytes: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) extra += windows1252(b) < 0x800 ? 1 : 2;
  }
  if (extra === 0) return bytes;
  const out = new Uint8Array(bytes.length + extra);
  let at = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      out[at++] = b;
      continue;
    }
    const c = windows1252(b);
    if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}
