import { wasmOff } from "./switch.js";

// @types/node 20 leaves WebAssembly to the DOM library, which a Node package does not load: the little
// used here, declared for this file (the runtime's global is what runs).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module);
    readonly exports: Record<string, unknown>;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}

export type WasmModule = WebAssembly.Module;

const PAGE = 65536;

/**
 * The module of base64 bytes, compiled on first use; null where WebAssembly cannot run (`node
 * --jitless`) or is switched off for a test (withoutWasm).
 */
export function compiledOnce(base64: string): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (wasmOff()) return null;
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(Buffer.from(base64, "base64"));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/**
 * A fresh instance of `module` whose exported memory has grown to at least `bytes`: its exports and
 * that memory's buffer (which stays valid: nothing grows it again); undefined when the memory cannot grow.
 */
export function instanceWithMemory(module: WasmModule, bytes: number): { exports: Record<string, unknown>; buffer: ArrayBuffer } | undefined {
  try {
    const instance = new WebAssembly.Instance(module);
    const memory = instance.exports.memory as WebAssembly.Memory;
    memory.grow(Math.max(0, Math.ceil(bytes / PAGE) - memory.buffer.byteLength / PAGE));
    return { exports: instance.exports, buffer: memory.buffer };
  } catch {
    return undefined;
  }
}
