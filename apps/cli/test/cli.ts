import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../../test-support/index.js";

export const PIPE = join(ROOT, "apps/cli/dist/pipe.js");

/** Runs the built CLI as a user would, from `cwd`, without a terminal. */
export function pipe(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [PIPE, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As `pipe`, without blocking this process (for tests whose servers run in it). */
export function pipeAsync(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PIPE, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `pipe serve --model PATH --port 0` in a child process, once it says where it listens: its base URL
 * and a `stop()` that sends SIGTERM and resolves with the exit code.
 */
export async function serve(
  modelPath: string,
  cwd: string,
  options: { logLevel?: string } = {},
): Promise<{ url: string; stop: () => Promise<number | null>; stdout: () => string }> {
  const child = spawn(process.execPath, [PIPE, "serve", "--model", modelPath, "--port", "0"], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LOG_LEVEL: options.logLevel ?? "silent" },
  });
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const stop = () => {
    child.kill("SIGTERM");
    return exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stderr.on("data", (d) => {
        text += d;
        const m = /on (http:\/\/\S+:\d+)/.exec(text);
        if (m) resolve((m[1] as string).replace("localhost", "127.0.0.1"));
      });
      setTimeout(() => reject(new Error(`no address in: ${text}`)), 20_000);
    });
    return { url, stop, stdout: () => stdout };
  } catch (error) {
    await stop();
    throw error;
  }
}
