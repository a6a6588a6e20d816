// WebAssembly text → binary, by wabt's wat2wasm (a development dependency: the package ships the bytes).
import wabtModule from "wabt";

/** The binary module of a WebAssembly text module (features: the MVP's, as every Node ≥ 20 runs). */
export async function assembleWat(text) {
  const wabt = await wabtModule();
  const module = wabt.parseWat("walk.wat", text);
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
