import { TextDecoder } from "node:util";

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
function looksLikeUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
