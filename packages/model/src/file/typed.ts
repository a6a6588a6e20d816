import { ModelFileError } from "../errors.js";

type Typed = Int32Array | Float64Array;

/** A typed array from base64 of its little-endian bytes (format 1 model files). */
export function decodeTyped<T extends Typed>(text: unknown, Kind: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, what: string): T {
  if (typeof text !== "string") throw new ModelFileError(`model file: ${what} is missing`);
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % Kind.BYTES_PER_ELEMENT !== 0) throw new ModelFileError(`model file: ${what} is damaged`);
  // Copy into a fresh, aligned buffer.
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new Kind(copy);
}
