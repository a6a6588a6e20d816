export { type AppOptions, createApp } from "./app.js";
export { apiSchemas, openApiDocument } from "./docs/openapi.js";
export { optionsFromEnv } from "./env.js";
export { apiKeys } from "./middleware/auth/index.js";
export { collectMetrics, Metrics } from "./middleware/metrics/index.js";
export { requestLog } from "./middleware/request-log/index.js";
export { type FieldError, problem } from "./problem.js";
export { ModelLoadError, type ServerOptions, startServer } from "./start.js";
export { validateRecord } from "./validate.js";
