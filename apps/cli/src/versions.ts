import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Versions of pipe's packages and of Node, recorded in the model and the report. */
export function versions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const name of ["@pipe/etl", "@pipe/stats", "@pipe/model", "@pipe/report"]) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = "unknown";
    }
  }
  return out;
}
