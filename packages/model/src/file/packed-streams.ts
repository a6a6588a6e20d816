/**
 * The packed forest's base64 streams are nearly all of a model file (the 200,000-row model's 16 MB:
 * 15.7 MB of them). Parsed as JSON they would exist three times more — the file's text, its parsed
 * strings, their decoded bytes — before the nodes are even built. They are taken out of the file's
 * bytes instead, as byte ranges; the rest of the document (kilobytes) is parsed as JSON, and each
 * stream is decoded from its bytes straight into the array it becomes (see decodeBase64).
 */

/** The keys of `content.forest.packed` whose values are base64 streams. */
const STREAMS = new Set(["node_counts", "split_features", "split_codes", "leaf_values", "leaf_index", "root_covers", "left_covers"]);
/** Shorter strings stay in the JSON: taking them out saves nothing worth a range. */
const MIN_STREAM = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** An open object or array of the scan, and the key that led to it (undefined at the top or in an array). */
interface Frame {
  object: boolean;
  key: string | undefined;
}

/**
 * The document without its long forest streams (each value left as an empty string) and the streams'
 * base64 bytes by key. The scan knows where strings, keys and nesting are, so only a string value at
 * `forest.packed.<stream>` of the top object is taken, whatever any other string holds; a document it
 * cannot follow is returned whole, for JSON.parse to judge.
 */
export function separateStreams(body: Uint8Array): { text: string; streams: Map<string, Uint8Array> } {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const whole = () => ({ text: buffer.toString("utf8"), streams: new Map<string, Uint8Array>() });
  const streams = new Map<string, Uint8Array>();
  const stack: Frame[] = [];
  // In an object: the key just read, and whether the next string is a key.
  let key: string | undefined;
  let expectKey = false;
  const pieces: string[] = [];
  let copied = 0;
  const n = buffer.length;
  for (let i = 0; i < n; i++) {
    const c = buffer[i] as number;
    if (c === QUOTE) {
      const end = stringEnd(buffer, i + 1);
      if (end < 0) return whole();
      if (expectKey) {
        key = end - i - 1 <= 64 ? buffer.toString("latin1", i + 1, end) : undefined;
        expectKey = false;
      } else if (end - i - 1 >= MIN_STREAM && key !== undefined && STREAMS.has(key) && isPacked(stack) && !streams.has(key)) {
        // The value as it stands in the file: base64 has no escapes to undo (a backslash fails decoding).
        streams.set(key, body.subarray(i + 1, end));
        pieces.push(buffer.toString("utf8", copied, i + 1));
        copied = end;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      stack.push({ object: c === 0x7b, key: stack.length === 0 || stack[stack.length - 1]?.object ? key : undefined });
      key = undefined;
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      if (stack.pop() === undefined) return whole();
      key = undefined;
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1]?.object === true;
    }
  }
  if (stack.length !== 0) return whole();
  pieces.push(buffer.toString("utf8", copied, n));
  return { text: pieces.join(""), streams };
}

/** Whether the scan is directly inside the top object's `forest.packed`. */
function isPacked(stack: readonly Frame[]): boolean {
  return (
    stack.length === 3 &&
    stack[0]?.object === true &&
    stack[1]?.object === true &&
    stack[1].key === "forest" &&
    stack[2]?.object === true &&
    stack[2].key === "packed"
  );
}

/** The index of the quote that closes the string whose text starts at `from`, or −1. */
function stringEnd(buffer: Buffer, from: number): number {
  let at = buffer.indexOf(QUOTE, from);
  while (at >= 0) {
    // A quote after an odd number of backslashes is escaped.
    let slashes = 0;
    for (let k = at - 1; k >= from && buffer[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return at;
    at = buffer.indexOf(QUOTE, at + 1);
  }
  return -1;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Base64 character → its six bits, 255 for anything else. */
const SEXTET = new Uint8Array(256).fill(255);
for (let k = 0; k < 64; k++) SEXTET[ALPHABET.charCodeAt(k)] = k;

/** The number of bytes base64 text of this length and ending decodes to, or −1 when its length is not base64's. */
export function decodedLength(text: Uint8Array): number {
  const n = text.length;
  if (n % 4 !== 0) return -1;
  const pad = n === 0 ? 0 : text[n - 1] === 0x3d ? (text[n - 2] === 0x3d ? 2 : 1) : 0;
  return (n / 4) * 3 - pad;
}

/**
 * Base64 text bytes (padded, as Buffer writes it) decoded into `out`, which must be exactly as long
 * as decodedLength says; false when the text is not such base64 (a character outside the alphabet).
 */
export function decodeBase64(text: Uint8Array, out: Uint8Array): boolean {
  const n = text.length;
  const size = decodedLength(text);
  if (size < 0 || size !== out.length) return false;
  let at = 0;
  let bad = 0;
  // Whole groups of four characters; the last group, maybe padded, after.
  const whole = size === (n / 4) * 3 ? n : n - 4;
  for (let i = 0; i < whole; i += 4) {
    const a = SEXTET[text[i] as number] as number;
    const b = SEXTET[text[i + 1] as number] as number;
    const c = SEXTET[text[i + 2] as number] as number;
    const d = SEXTET[text[i + 3] as number] as number;
    bad |= a | b | c | d;
    const word = (a << 18) | (b << 12) | (c << 6) | d;
    out[at] = word >>> 16;
    out[at + 1] = word >>> 8;
    out[at + 2] = word;
    at += 3;
  }
  if (whole < n) {
    const a = SEXTET[text[whole] as number] as number;
    const b = SEXTET[text[whole + 1] as number] as number;
    const c = size - at === 2 ? (SEXTET[text[whole + 2] as number] as number) : 0;
    bad |= a | b | c;
    const word = (a << 18) | (b << 12) | (c << 6);
    out[at] = word >>> 16;
    if (size - at === 2) out[at + 1] = word >>> 8;
  }
  // Every sextet is below 64; a character outside the alphabet (255) sets a higher bit.
  return bad < 64;
}
