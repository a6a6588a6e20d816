import { startServer } from "@pipe/api";
import type { StageContext } from "../stage.js";

/** Serves the model over HTTP until SIGTERM/SIGINT; in-flight requests finish before exit. */
export async function serveCommand(ctx: StageContext, port: number, host: string) {
  const modelPath = ctx.modelPath ?? ctx.paths.model;
  const list = (v: string | undefined) =>
    (v ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
  const server = await startServer({
    modelPath,
    port,
    host,
    apiKeys: list(process.env.API_KEYS),
    corsOrigins: list(process.env.CORS_ORIGINS),
    logLevel: process.env.LOG_LEVEL ?? "info",
  });
  ctx.log.info(
    `serve: model ${server.model.version} (${modelPath}) on http://${host === "0.0.0.0" ? "localhost" : host}:${server.port} — POST /predict, GET /model; Ctrl-C stops`,
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
