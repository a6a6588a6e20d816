/** The package's WebAssembly modules: their text, the TypeScript file of their bytes, and its constant. */
export const WASM_MODULES: readonly { wat: string; ts: string; name: string }[];
/** The binary module of a WebAssembly text module. */
export function assembleWat(text: string): Promise<Uint8Array>;
