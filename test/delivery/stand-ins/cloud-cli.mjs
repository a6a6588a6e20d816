#!/usr/bin/env node
// A recording stand-in for docker, gcloud, aws and az (linked under those names): the deploy guide's
// commands run against it in test/delivery/deploy-guide.test.ts. Each call is appended to
// $STAND_IN_LOG as one JSON line. What can be checked locally is checked, and a failure exits 1:
//   docker build --target T      T is a stage of the Dockerfile
//   docker run [-d] -p H:C IMG   the image's command, run from the repository: the API image serves
//                                 data/output/model.json on port H; the pipeline image runs the CLI
//   docker stop NAME             stops what `docker run -d --name NAME` started
//   aws lambda create-function   --zip-file fileb://P exists, is a ZIP holding the --handler's file;
//                                 --runtime is a Node.js runtime AWS still lets functions be created with
//   any JSON-looking argument    parses
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { unzip } from "../../../scripts/lib/zip.mjs";

const tool = basename(process.argv[1]);
const args = process.argv.slice(2);
const log = process.env.STAND_IN_LOG;
const repo = process.env.STAND_IN_REPO ?? process.cwd();
const fail = (message) => {
  process.stderr.write(`${tool} (stand-in): ${message}\n`);
  process.exit(1);
};
const flag = (name) => {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return args[i].includes("=") ? args[i].slice(name.length + 1) : args[i + 1];
};
if (log) appendFileSync(log, `${JSON.stringify({ tool, args })}\n`);
// A secret piped in (docker login --password-stdin, gcloud --data-file=-) is read to its end, as the
// real tools do, so the writer on the other side of the pipe is not cut off.
if (args.includes("--password-stdin") || args.includes("--data-file=-")) for await (const _ of process.stdin);

for (const a of args) {
  if (/^\s*{/.test(a)) {
    try {
      JSON.parse(a);
    } catch (error) {
      fail(`argument is not valid JSON: ${error.message}`);
    }
  }
}

async function waitForHealth(port) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`the service did not answer on port ${port}`);
}

if (tool === "docker" && args[0] === "build") {
  const target = flag("--target");
  const stages = [...readFileSync(join(repo, "Dockerfile"), "utf8").matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
  if (target && !stages.includes(target)) fail(`the Dockerfile has no stage "${target}" (stages: ${stages.join(", ")})`);
} else if (tool === "docker" && args[0] === "run") {
  const rest = args.slice(1);
  let detach = false;
  let name;
  let port;
  let i = 0;
  for (; i < rest.length && rest[i].startsWith("-"); i++) {
    if (rest[i] === "-d") detach = true;
    else if (rest[i] === "--rm") continue;
    else if (rest[i] === "--name") name = rest[++i];
    else if (rest[i] === "-p") port = Number(rest[++i].split(":")[0]);
    else if (rest[i] === "-v" || rest[i] === "-e") i++;
  }
  const image = rest[i];
  const command = rest.slice(i + 1);
  if (/api/.test(image)) {
    const child = spawn(process.execPath, [join(repo, "apps/api/dist/server.js")], {
      cwd: repo,
      env: { ...process.env, PORT: String(port ?? 8080), HOST: "127.0.0.1", MODEL_PATH: join(repo, "data/output/model.json"), LOG_LEVEL: "silent" },
      stdio: "ignore",
      detached: true,
    });
    child.unref();
    if (name) writeFileSync(join(repo, `.stand-in-${name}.pid`), String(child.pid));
    await waitForHealth(port ?? 8080);
    if (!detach) process.kill(child.pid);
  } else if (/pipeline/.test(image)) {
    const r = spawnSync(process.execPath, [join(repo, "apps/cli/dist/pipe.js"), ...command], { cwd: repo, stdio: "inherit" });
    process.exit(r.status ?? 1);
  } else fail(`no stand-in for the image ${image}`);
} else if (tool === "docker" && args[0] === "stop") {
  const pidFile = join(repo, `.stand-in-${args[1]}.pid`);
  if (!existsSync(pidFile)) fail(`no container named ${args[1]}`);
  process.kill(Number(readFileSync(pidFile, "utf8")));
} else if (tool === "aws" && args[0] === "lambda" && args[1] === "create-function") {
  // Node.js 20 reached its end of life in April 2026 and AWS deprecates a runtime with it, then stops
  // function creation on it: a guide naming it fails for whoever follows it.
  const runtime = flag("--runtime");
  if (!["nodejs22.x", "nodejs24.x"].includes(runtime ?? ""))
    fail(`--runtime ${runtime ?? "(none)"}: AWS creates Node.js functions on nodejs22.x or nodejs24.x (older runtimes are deprecated)`);
  const zipFile = flag("--zip-file");
  if (!zipFile?.startsWith("fileb://")) fail("--zip-file must be fileb://PATH");
  const path = zipFile.slice("fileb://".length);
  if (!existsSync(path)) fail(`${path} does not exist`);
  const names = unzip(readFileSync(path)).map((e) => e.name);
  const handler = flag("--handler") ?? "";
  const file = `${handler.slice(0, handler.lastIndexOf("."))}.mjs`;
  if (!names.includes(file)) fail(`the zip has no ${file} for the handler ${handler} (it holds ${names.join(", ")})`);
} else if (tool === "aws" && args[0] === "ecr" && args[1] === "get-login-password") {
  process.stdout.write("stand-in-password\n");
} else if (tool === "az" && args.includes("--query")) {
  process.stdout.write("stand-in-id\n");
}
