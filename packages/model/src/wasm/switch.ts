let off = false;

/** Whether the WebAssembly loops are switched off (tests of the JavaScript loops they replace). */
export function wasmOff(): boolean {
  return off;
}

/** Runs `fn` with the JavaScript loops where WebAssembly ones would run: for tests that hold them equal. */
export function withoutWasm<T>(fn: () => T): T {
  off = true;
  try {
    return fn();
  } finally {
    off = false;
  }
}
