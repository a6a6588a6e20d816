import { optionsFromEnv } from "./env.js";
import { startServer } from "./start.js";

// The container's entry point: configuration from the environment, one JSON log line per event.
const modelPath = process.env.MODEL_PATH ?? "data/output/model.json";
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? "0.0.0.0";
try {
  const server = await startServer({
    modelPath,
    port,
    host,
    ...optionsFromEnv(),
  });
  server.logger.info({ port: server.port, host: server.host, model_version: server.model.version, auth: Boolean(process.env.API_KEYS) }, "listening");
  // Written now: whoever started the service may be waiting for this line.
  await server.flushLog();
  const stop = async (signal: string) => {
    server.logger.info({ signal }, "shutting down: finishing in-flight requests");
    await server.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  console.error(JSON.stringify({ level: "fatal", msg: (error as Error).message }));
  process.exit(1);
}
