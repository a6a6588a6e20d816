import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "../../test-support/index.js";

const PACKAGES = ["packages/etl", "packages/stats", "packages/model", "packages/report", "apps/api", "apps/cli"];

/**
 * A working copy of this checkout at `dest`, for tests that change files or run the pipeline:
 * the files git tracks (and new ones it does not ignore) under packages/, apps/, scripts/ and the
 * root, the built dist folders, turbo's cache, and the dependencies linked from this checkout.
 * Commands that install or remove packages must not run in it (node_modules is this checkout's).
 */
export function copyRepository(dest: string, extra: (file: string) => boolean = () => false): void {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
  const keep = (f: string) => /^(packages|apps|scripts)\//.test(f) || !f.includes("/") || f === "data/output/.gitkeep" || extra(f);
  for (const f of files.filter(keep)) {
    if (!existsSync(join(ROOT, f))) continue;
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dest, f));
  }
  symlinkSync(join(ROOT, "node_modules"), join(dest, "node_modules"));
  for (const pkg of PACKAGES) {
    // Each package's links are relative, so they resolve inside the copy.
    cpSync(join(ROOT, pkg, "node_modules"), join(dest, pkg, "node_modules"), { recursive: true, verbatimSymlinks: true });
    if (existsSync(join(ROOT, pkg, "dist"))) cpSync(join(ROOT, pkg, "dist"), join(dest, pkg, "dist"), { recursive: true });
  }
  if (existsSync(join(ROOT, ".turbo/cache"))) cpSync(join(ROOT, ".turbo/cache"), join(dest, ".turbo/cache"), { recursive: true });
}

/** Makes `dir` a git repository with one commit (turbo caches only inside one). */
export function commitAll(dir: string): void {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.email=test@example.invalid", "-c", "user.name=test", "commit", "-qm", "copy");
}
