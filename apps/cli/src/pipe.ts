import { ConfigMismatchError, CsvFormatError, EngineError, EtlError, InputError } from "@pipe/etl";
import { removeStaleTempFiles } from "./cleanup.js";
import { COMMANDS } from "./commands/registry.js";
import { MissingTargetError, UsageError } from "./errors.js";
import { helpText, MODEL_FLAG, parseFlags } from "./flags.js";
import { Logger } from "./log.js";
import { outputPaths } from "./paths.js";
import { MissingOutputError, StageError } from "./stage.js";
import { twoValuedColumns } from "./target-candidates.js";
import { versions } from "./versions.js";

const MAIN_HELP = `pipe — an end-to-end tabular machine-learning pipeline

Usage: pipe <command> [options]

Commands:
${COMMANDS.filter((c) => !c.hidden)
  .map((c) => `  ${c.name.padEnd(10)}${c.summary}`)
  .join("\n")}

Run \`pipe <command> --help\` for a command's options.
Exit codes: 0 ok, 1 failed run, 2 bad usage or configuration, 3 an earlier stage's output is missing
(run that stage first, or \`pipe run\`).
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    process.stdout.write(`${JSON.stringify(versions())}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command)
    throw new UsageError(
      `unknown command "${name}"; commands: ${COMMANDS.filter((c) => !c.hidden)
        .map((c) => c.name)
        .join(", ")}`,
    );
  if (command.name === "schema" && !rest.includes("--help")) {
    await command.run(undefined as never, {});
    return 0;
  }
  const { values, config } = parseFlags(command.name, rest, command.flags, { needsTarget: command.needsTarget ?? true });
  if (values.help) {
    process.stdout.write(helpText(command.usage, command.summary, command.flags));
    return 0;
  }
  const log = new Logger(values.quiet === true);
  const ctx = {
    config,
    paths: outputPaths(config.out),
    log,
    versions: versions(),
    // `--model` names a model file for the commands that read one; for run and train it is the kind of model.
    ...(typeof values.model === "string" && command.flags.includes(MODEL_FLAG) ? { modelPath: values.model } : {}),
  };
  removeStaleTempFiles([ctx.paths.out, ctx.paths.plots]);
  const t0 = performance.now();
  const summary = await command.run(ctx, values);
  const seconds = (performance.now() - t0) / 1000;
  if (values.json) process.stdout.write(`${JSON.stringify({ ok: true, seconds, ...summary })}\n`);
  else if (command.name === "run") log.info(`done in ${seconds.toFixed(1)} s; outputs in ${config.out}`);
  return 0;
}

/** Exit code and one line for an error; unexpected ones say so, without a stack trace unless PIPE_DEBUG is set. */
async function report(error: unknown): Promise<number> {
  const e = error as Error;
  if (process.env.PIPE_DEBUG) process.stderr.write(`${e.stack}\n`);
  if (error instanceof MissingOutputError) {
    process.stderr.write(`pipe: ${e.message}\n`);
    return 3;
  }
  if (error instanceof MissingTargetError && error.input) {
    const offered = await twoValuedColumns(error.input);
    process.stderr.write(`pipe: ${e.message}${offered ? `; columns with two values in ${error.input}: ${offered}` : ""}\n`);
    return 2;
  }
  if (error instanceof UsageError || error instanceof InputError || error instanceof ConfigMismatchError) {
    process.stderr.write(`pipe: ${e.message}\n`);
    return 2;
  }
  if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    process.stderr.write(`pipe: the port is already in use; pass --port with a free one (or 0 for any)\n`);
    return 1;
  }
  // The model and API packages load only with the commands that need them: import them here to classify.
  const { ModelError } = await import("@pipe/model");
  const { ModelLoadError } = await import("@pipe/api");
  if (error instanceof EngineError && error.outOfMemory) {
    process.stderr.write(
      `pipe: ${e.message}\npipe: with pipe, raise etl.engineMemoryLimit (--set 'etl.engineMemoryLimit="2GB"') or lower etl.engineThreads (--set etl.engineThreads=1)\n`,
    );
    return 1;
  }
  if (
    error instanceof CsvFormatError ||
    error instanceof EtlError ||
    error instanceof ModelError ||
    error instanceof StageError ||
    error instanceof ModelLoadError
  ) {
    process.stderr.write(`pipe: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`pipe: unexpected error: ${e?.message ?? String(error)} (set PIPE_DEBUG=1 for details, and please report it)\n`);
  return 1;
}

/**
 * Ends a batch command. Node 20 can deadlock when the event loop runs dry while compiler threads
 * are still busy (nodejs/node#54918: the main thread waits in NodePlatform::DrainTasks forever;
 * about one run in 40 of `pipe etl` on Adult × 30 here). Exiting explicitly, once stdout and stderr
 * are flushed (pipes are asynchronous on POSIX), skips that wait.
 */
async function finish(code: number): Promise<void> {
  process.exitCode = code;
  if (staysUp) return;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => stream.write("", () => resolve()));
}

// The AWS SDK warns on every S3 run under Node 20 that its releases after January 2027 need Node 22.
// pipe pins an SDK release that supports Node 20, and the README says which Node versions pipe
// supports: the warning tells pipe's users nothing they can act on. An explicit setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const argv = process.argv.slice(2);
const staysUp = COMMANDS.find((c) => c.name === argv[0])?.staysUp === true;
main(argv).then(finish, async (error) => finish(await report(error)));
