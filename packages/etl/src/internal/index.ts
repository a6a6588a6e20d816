// The byte engines, for the benchmarks and tests of this repository only: built to dist/internal.js
// but not in the package's exports, so no consumer depends on them.
export { LineMemo } from "./line-memo.js";
export { CsvTokenizer } from "./tokenizer.js";
