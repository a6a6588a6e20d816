import { Readable } from "node:stream";
import { TextDecoder } from "node:util";
import { createGunzip } from "node:zlib";

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
