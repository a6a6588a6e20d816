import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../../test-support/index.js";

export const PIPE = join(ROOT, "apps/cli/dist/pipe.js");

/** Runs the built CLI as a user would, from `cwd`, without a terminal. */
export function pipe(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [PIPE, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
