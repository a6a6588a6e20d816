/**
 * Reads a plain decimal number straight from bytes: `[-+]?digits[.digits]` (or `.digits`), no spaces,
 * no exponent, at most 15 digits — the shape of nearly every numeric cell. The value is the integer of
 * its digits divided by a power of ten, both exact in a double, so it equals `Number(text)` bit for
 * bit. Returns NaN for anything else (the caller then takes the string path). `plainInteger` tells
 * whether the last number read had no decimal point.
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
  if (digits === 0 || digits > 15) return Number.NaN;
  plainState.integer = !point;
  const value = scale === 0 ? mantissa : mantissa / (POWERS[scale] as number);
  return negative ? -value : value;
}

/** Whether the last number {@link readPlainNumber} read was written without a decimal point. */
export const plainState = { integer: false };

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
