import type { ServerOptions } from "./start.js";

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** The service settings every entry point reads from the environment (container, `pipe serve`, Lambda). */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<ServerOptions, "modelPath" | "port" | "host"> {
  return {
    apiKeys: list(env.API_KEYS),
    corsOrigins: list(env.CORS_ORIGINS),
    logLevel: env.LOG_LEVEL ?? "info",
    ...(env.UNKNOWN_FIELDS === "ignore" || env.UNKNOWN_FIELDS === "reject" ? { unknownFields: env.UNKNOWN_FIELDS } : {}),
    ...(env.BODY_LIMIT ? { bodyLimit: Number(env.BODY_LIMIT) } : {}),
    ...(env.MAX_BATCH ? { maxBatch: Number(env.MAX_BATCH) } : {}),
    ...(env.DRIFT_WINDOW !== undefined && /^\d+$/.test(env.DRIFT_WINDOW.trim()) ? { driftWindow: Number(env.DRIFT_WINDOW) } : {}),
    ...(env.WARM_EXPLANATIONS === "false" ? { warmExplanations: false } : {}),
    ...(env.SCORE_THREADS !== undefined && /^\d+$/.test(env.SCORE_THREADS.trim()) && Number(env.SCORE_THREADS) >= 1
      ? { scoreThreads: Number(env.SCORE_THREADS) }
      : {}),
  };
}
