// `pnpm bench:model` helper: reads and parses one model file in a fresh process, as `pipe serve` does.
// usage: node bench/model-load.mjs MODEL.json  → one JSON line: parse_ms, load_peak_rss_mb (the peak
// over the process's resident size before reading), file_mb
import { readFileSync, statSync } from "node:fs";
import { PipeModel } from "../packages/model/dist/index.js";
import { printResult } from "./lib.mjs";

const path = process.argv[2];
const before = process.memoryUsage().rss;
const t0 = performance.now();
const model = PipeModel.parse(readFileSync(path), path);
const ms = performance.now() - t0;
model.predict({});
printResult({ parse_ms: ms, load_peak_rss_mb: (process.resourceUsage().maxRSS * 1024 - before) / 1e6, file_mb: statSync(path).size / 1e6 });
