import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temporary files that a killed run left in the output folders (outputs are written to
 * `.name.PID.RANDOM.tmp` then renamed). Files of a process still running are left alone.
 */
export function removeStaleTempFiles(dirs: readonly string[]): number {
  let removed = 0;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP.exec(name);
      if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) {
        rmSync(join(dir, name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}
