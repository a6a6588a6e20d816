import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test-support/index.js";

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const lines = dockerfile.split("\n").filter((l) => !l.trim().startsWith("#"));
const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => ({ image: m[1] as string, name: m[2] as string }));
/** The instructions of one stage (from its FROM to the next). */
function stage(name: string): string {
  const start = dockerfile.indexOf(`AS ${name}\n`);
  const next = dockerfile.indexOf("\nFROM ", start);
  return dockerfile.slice(start, next < 0 ? undefined : next);
}

describe("Dockerfile", () => {
  it("passes dockerfilelint", () => {
    const r = spawnSync(join(ROOT, "node_modules/.bin/dockerfilelint"), ["Dockerfile"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout).toContain("Issues: None found");
    expect(r.status).toBe(0);
  });
  it("is multi-stage: build, api, api-baked, pipeline; external bases pinned to a supported Node LTS on Debian 12", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "api", "api-baked", "pipeline"]);
    for (const s of stages) expect(["node:24-bookworm-slim", "api"]).toContain(s.image);
  });
  it("builds with the pinned pnpm and ships production dependencies only", () => {
    expect(stage("build")).toContain("npm install -g pnpm@12.4.2");
    expect(stage("build")).toContain("pnpm install --frozen-lockfile");
    expect(stage("build")).toContain("pnpm deploy --filter=@pipe/api --prod");
  });
  it("runs the API as a non-root user on port 8080 with a /health check and MODEL_PATH", () => {
    const api = stage("api");
    expect(api).toMatch(/^USER node$/m);
    expect(api).toMatch(/^EXPOSE 8080$/m);
    expect(api).toMatch(/HEALTHCHECK[^\n]*\n?.*\/health/);
    expect(api).toContain("MODEL_PATH=/app/model/model.json");
    expect(stage("pipeline")).toMatch(/^USER node$/m);
    expect(stage("pipeline")).toContain("chromium");
  });
  it("holds no secrets and ignores what must not reach the image", () => {
    for (const l of lines.filter((x) => /^(ENV|ARG)\b/.test(x.trim()) || /^\s+\w+=/.test(x))) expect(l).not.toMatch(/(KEY|SECRET|TOKEN|PASSWORD)\s*=/i);
    const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["node_modules", ".git", ".env", "data/output", "**/dist"]) expect(ignore).toContain(entry);
    expect(ignore).toContain("!data/output/model.json");
  });
});
