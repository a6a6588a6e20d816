import { optionsFromEnv, startServer } from "@pipe/api";
import { requireOutput, type StageContext } from "../stage.js";

/** Serves the model over HTTP until SIGTERM/SIGINT; in-flight requests finish before exit. */
export async function serveCommand(ctx: StageContext, port: number, host: string, unknownFields: "reject" | "ignore" = "reject") {
  const modelPath = ctx.modelPath ?? ctx.paths.model;
  requireOutput(modelPath, "train", ", or pass --model PATH");
  const server = await startServer({
    modelPath,
    port,
    host,
    ...optionsFromEnv(),
    unknownFields,
  });
  ctx.log.info(
    `serve: model ${server.model.version} (${modelPath}) on http://${host === "0.0.0.0" ? "localhost" : host}:${server.port} — POST /predict, GET /model; large batches scored on ${server.scoreThreads} thread(s); Ctrl-C stops`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      ctx.log.info("serve: shutting down (finishing in-flight requests)");
      void server.close().then(resolve);
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  return { stage: "serve", port: server.port };
}
