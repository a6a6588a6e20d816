/** The binary module of a WebAssembly text module. */
export function assembleWat(text: string): Promise<Uint8Array>;
