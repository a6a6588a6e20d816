// `pnpm bench:size`: what a deploy weighs. Packs the @pipe/* libraries and installs them into empty
// projects with npm (what a consumer downloads), performs the API image's build steps in a clean
// copy (install, build, `pnpm deploy --prod`: the image's node_modules), and bundles the Lambda zip
// for two models (the bundled Telco data's and Adult's, a larger forest). Writes bench/results/size.*
import { execFileSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ADULT_COLUMNS, DATASETS, machine, ROOT, table, writeResults } from "./lib.mjs";

const tmp = mkdtempSync(join(tmpdir(), "pipe-size-"));
const sh = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", ...env } });
const pnpm = ["-y", "pnpm@12.4.2"];

function bytesUnder(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? bytesUnder(p) : lstatSync(p).size;
  }
  return total;
}
const mb = (b) => (b / 1e6).toFixed(2);

try {
  // 1. The libraries as npm consumers install them.
  const tarballs = join(tmp, "tarballs");
  mkdirSync(tarballs);
  for (const lib of ["etl", "stats", "model", "report"]) sh("npx", [...pnpm, "pack", "--pack-destination", tarballs], join(ROOT, "packages", lib));
  const tgz = (lib) =>
    join(
      tarballs,
      readdirSync(tarballs).find((f) => f.startsWith(`pipe-${lib}-`)),
    );
  const installs = {};
  for (const [name, libs] of [
    ["@pipe/model", ["model"]],
    ["@pipe/stats + @pipe/model", ["stats", "model"]],
    ["@pipe/etl", ["etl"]],
    ["all four", ["etl", "stats", "model", "report"]],
  ]) {
    const dir = join(tmp, `install-${libs.join("-")}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...libs.map(tgz)], dir);
    installs[name] = bytesUnder(join(dir, "node_modules"));
    console.log(`npm install ${name}: ${mb(installs[name])} MB`);
  }

  // 2. The API image's build stage, in a clean copy (the Dockerfile's COPY lines).
  const src = join(tmp, "src");
  const files = sh("git", ["ls-files", "--cached", "--others", "--exclude-standard"], ROOT).split("\n").filter(Boolean);
  const copied = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "turbo.json", "tsconfig.base.json"];
  for (const f of files.filter((f) => copied.includes(f) || /^(packages|apps|scripts)\//.test(f))) {
    mkdirSync(dirname(join(src, f)), { recursive: true });
    cpSync(join(ROOT, f), join(src, f));
  }
  sh("npx", [...pnpm, "install", "--frozen-lockfile"], src);
  sh("npx", [...pnpm, "run", "build"], src);
  sh("npx", [...pnpm, "deploy", "--filter=@pipe/api", "--prod", "--legacy", join(tmp, "api")], src);
  const image = bytesUnder(join(tmp, "api", "node_modules"));
  console.log(`API image node_modules: ${mb(image)} MB`);

  // 3. The Lambda zip for two models.
  const lambdas = {};
  for (const [name, args] of [
    ["telco (bundled data)", ["--input", join(ROOT, "data/input/dataset.csv"), "--target", "Churn", "--positive", "Yes"]],
    ["adult", ["--input", join(DATASETS, "adult/adult-train.csv"), "--target", "income", "--columns", ADULT_COLUMNS.join(",")]],
  ]) {
    const out = join(tmp, `model-${name.split(" ")[0]}`);
    sh(process.execPath, [join(src, "apps/cli/dist/pipe.js"), "run", ...args, "--out", out, "--quiet", "--no-png"], tmp);
    const r = JSON.parse(
      sh(
        process.execPath,
        [join(ROOT, "scripts/bundle-lambda.mjs"), "--model", join(out, "model.json"), "--out", join(tmp, `lambda-${name.split(" ")[0]}`)],
        tmp,
      ).split("\n")[0],
    );
    lambdas[name] = { zip: r.zip_bytes, unpacked: r.unpacked_bytes, model: lstatSync(join(out, "model.json")).size };
    console.log(`Lambda zip (${name}): ${mb(r.zip_bytes)} MB, unpacked ${mb(r.unpacked_bytes)} MB`);
  }

  const goals = { model_install_mb: 10, image_node_modules_mb: 60, lambda_zip_mb: 20 };
  const results = { machine: machine(), installs, image_node_modules: image, lambdas, goals };
  const md = `# bench:size — what a deploy weighs

${results.machine.date}, ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}

Libraries packed with pnpm and installed with npm into an empty project (files under node_modules):

${table(
  ["install", "MB", "goal"],
  Object.entries(installs).map(([k, v]) => [k, mb(v), k === "@pipe/model" ? `≤ ${goals.model_install_mb}` : ""]),
)}

The API image's production node_modules (the Dockerfile's build stage: install, build, \`pnpm deploy --prod\`): **${mb(image)} MB** (goal ≤ ${goals.image_node_modules_mb}).

The Lambda deployment package (\`pnpm bundle:lambda\`):

${table(
  ["model", "model.json MB", "zip MB", "unpacked MB", "goal"],
  Object.entries(lambdas).map(([k, v]) => [k, mb(v.model), mb(v.zip), mb(v.unpacked), `zip ≤ ${goals.lambda_zip_mb}`]),
)}
`;
  writeResults("size", results, md);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
