/**
 * Reads a plain decimal number straight from bytes: `[-+]?digits[.digits]` (or `.digits`), no spaces,
 * no exponent — the shape of nearly every numeric cell. Up to 15 digits the value is the integer of its
 * digits divided by a power of ten, both exact in a double, so it equals `Number(text)` bit for bit;
 * longer ones (a double written in full, 17 significant digits, as pandas and numpy write them) are
 * converted by `Number` itself, still without the string path's per-cell work. Returns NaN for
 * anything else (the caller then takes the string path). `plainState.integer` tells whether the last
 * number read had no decimal point.
 */
export function readPlainNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return Number.NaN;
  let negative = false;
  let c = bytes[i] as number;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let point = false;
  for (; i < end; i++) {
    c = bytes[i] as number;
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (point) scale++;
    } else if (c === 46 && !point) {
      point = true;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0) return Number.NaN;
  if (digits > 15) return longNumber(bytes, start, end, !point);
  plainState.integer = !point;
  const value = scale === 0 ? mantissa : mantissa / (POWERS[scale] as number);
  return negative ? -value : value;
}

/** Past this length a cell takes the string path (a number this long is rare, and may not be finite). */
const LONGEST = 40;

/**
 * Buffer's own Latin-1 decoder, which also takes a plain Uint8Array: a flat string in one native call,
 * a few times cheaper than building it a character at a time (kept as a fallback where it is missing).
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

/** A plain decimal of more than 15 digits: `Number` of its text (the digits alone are not exact in a double). */
function longNumber(bytes: Uint8Array, start: number, end: number, integer: boolean): number {
  if (end - start > LONGEST) return Number.NaN;
  let text = "";
  if (latin1Slice) text = latin1Slice.call(bytes, start, end);
  else for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k] as number);
  const value = Number(text);
  if (!Number.isFinite(value)) return Number.NaN;
  plainState.integer = integer;
  return value;
}

/**
 * What the last read found besides the value: whether the number had no decimal point, and (for
 * {@link readPaddedNumber}) where its bytes start and end once the padding is trimmed.
 */
export const plainState = { integer: false, start: 0, end: 0 };

/**
 * {@link readPlainNumber} of the field once spaces and tabs around it are trimmed (`" 77516"`, as
 * Adult writes every field): the number the normaliser's trim would leave. Any other white space
 * (NBSP, vertical tab…) is not a digit and makes it NaN, so such cells take the string path.
 */
export function readPaddedNumber(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  plainState.start = start;
  plainState.end = end;
  return readPlainNumber(bytes, start, end);
}

const POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** {@link hashString2} of the text these ASCII bytes spell, without making the string. */
export function hashAscii2(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x5bd1e995 ^ (end - start);
  for (let k = start; k < end; k++) {
    h = Math.imul(h ^ (bytes[k] as number), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h;
}
