import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Bytes of every file under a folder (apparent sizes; symbolic links count as links, not targets). */
export function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else total += lstatSync(path).size;
  }
  return total;
}
