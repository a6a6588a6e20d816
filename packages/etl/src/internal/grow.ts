/** `to`, a larger array, with `from`'s elements at its start: how the growable tables keep what they hold. */
export function grow<T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
