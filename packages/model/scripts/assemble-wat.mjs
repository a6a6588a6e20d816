// WebAssembly text → binary, by wabt's wat2wasm (a development dependency: the package ships the bytes).
import wabtModule from "wabt";

/** The package's WebAssembly modules: their text, the TypeScript file of their bytes, and its constant. */
export const WASM_MODULES = [
  { wat: "src/forest/wasm/walk.wat", ts: "src/forest/wasm/walk-bytes.ts", name: "WALK_WASM_BASE64" },
  { wat: "src/boosting/wasm/grow.wat", ts: "src/boosting/wasm/grow-bytes.ts", name: "GROW_WASM_BASE64" },
  { wat: "src/explain/wasm/tree-shap.wat", ts: "src/explain/wasm/tree-shap-bytes.ts", name: "TREE_SHAP_WASM_BASE64" },
];

/** The binary module of a WebAssembly text module (features: those every Node ≥ 20 runs, bulk memory among them). */
export async function assembleWat(text) {
  const wabt = await wabtModule();
  const module = wabt.parseWat("module.wat", text, { bulk_memory: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
