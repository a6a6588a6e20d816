#!/usr/bin/env node
// pipe's local ClickHouse cluster for tests and benchmarks: two shards on free loopback ports, each
// a clickhouse-server process with its own config (from node.xml.template) and data folder.
//   node scripts/clickhouse/cluster.mjs start [DIR]   installs Debian's clickhouse-server when missing
//                                                    (apt-get; needs root), starts both nodes, waits
//                                                    until they answer, writes DIR/cluster.json
//   node scripts/clickhouse/cluster.mjs stop [DIR]    stops the nodes by the PIDs in DIR/cluster.json
// DIR defaults to .clickhouse/ in the repository. cluster.json holds { nodes: [{ http, tcp, pid }], cluster: "pipe" }.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [command, dirArg] = process.argv.slice(2);
const dir = resolve(dirArg ?? join(here, "..", "..", ".clickhouse"));
const SHARDS = 2;

function serverBinary() {
  for (const p of ["/usr/bin/clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse"]) if (existsSync(p)) return p;
  return undefined;
}

function install() {
  if (serverBinary()) return;
  console.error("clickhouse-server is missing: installing Debian's package (apt-get install -y clickhouse-server)");
  const asRoot = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const run = (args) =>
    execFileSync(asRoot[0] ?? args[0], asRoot.length ? [...asRoot.slice(1), ...args] : args.slice(1), {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  try {
    run(["apt-get", "install", "-y", "--no-install-recommends", "clickhouse-server"]);
  } catch {
    run(["apt-get", "update"]);
    run(["apt-get", "install", "-y", "--no-install-recommends", "clickhouse-server"]);
  }
  if (!serverBinary()) throw new Error("clickhouse-server did not install; install it (Debian: apt-get install clickhouse-server) and run again");
}

/** A port nobody listens on now (the OS picks it). */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function answers(http) {
  try {
    const r = await fetch(`http://127.0.0.1:${http}/?query=SELECT%201`);
    return r.ok && (await r.text()).trim() === "1";
  } catch {
    return false;
  }
}

async function start() {
  install();
  const binary = serverBinary();
  if (existsSync(join(dir, "cluster.json"))) await stop();
  rmSync(dir, { recursive: true, force: true });
  const nodes = [];
  for (let k = 0; k < SHARDS; k++) nodes.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  const shards = nodes.map((n) => `            <shard><replica><host>127.0.0.1</host><port>${n.tcp}</port></replica></shard>`).join("\n");
  const template = readFileSync(join(here, "node.xml.template"), "utf8");
  for (const [k, n] of nodes.entries()) {
    const nodeDir = join(dir, `node${k + 1}`);
    for (const sub of ["data", "tmp", "user_files", "format_schemas"]) mkdirSync(join(nodeDir, sub), { recursive: true });
    writeFileSync(join(nodeDir, "users.xml"), readFileSync(join(here, "users.xml")));
    const config = template
      .replaceAll("@DIR@", nodeDir)
      .replaceAll("@HTTP_PORT@", String(n.http))
      .replaceAll("@TCP_PORT@", String(n.tcp))
      .replaceAll("@INTERSERVER_PORT@", String(n.interserver))
      .replaceAll("@SHARDS@", shards);
    writeFileSync(join(nodeDir, "config.xml"), config);
    const child = spawn(binary, [`--config-file=${join(nodeDir, "config.xml")}`], { cwd: nodeDir, detached: true, stdio: "ignore" });
    child.unref();
    n.pid = child.pid;
  }
  writeFileSync(join(dir, "cluster.json"), `${JSON.stringify({ cluster: "pipe", nodes: nodes.map(({ http, tcp, pid }) => ({ http, tcp, pid })) }, null, 2)}\n`);
  const deadline = Date.now() + 30_000;
  for (const n of nodes) {
    while (!(await answers(n.http))) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`a ClickHouse node did not answer on port ${n.http} within 30 s; see ${dir}/node*/server.err.log`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  console.log(`ClickHouse: ${SHARDS} shards on 127.0.0.1, http ports ${nodes.map((n) => n.http).join(", ")} (cluster "pipe"); ${join(dir, "cluster.json")}`);
}

async function stop() {
  const file = join(dir, "cluster.json");
  if (!existsSync(file)) return;
  const { nodes } = JSON.parse(readFileSync(file, "utf8"));
  for (const n of nodes) {
    try {
      process.kill(n.pid, "SIGTERM");
    } catch {}
  }
  const deadline = Date.now() + 15_000;
  for (const n of nodes) {
    for (;;) {
      try {
        process.kill(n.pid, 0);
      } catch {
        break;
      }
      if (Date.now() > deadline) {
        try {
          process.kill(n.pid, "SIGKILL");
        } catch {}
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  rmSync(file, { force: true });
}

if (command === "start") await start();
else if (command === "stop") await stop();
else {
  console.error("usage: node scripts/clickhouse/cluster.mjs start|stop [DIR]");
  process.exit(2);
}
