export { type AppOptions, createApp, ROUTES } from "./app.js";
export { optionsFromEnv } from "./env.js";
export { apiKeys } from "./middleware/auth/index.js";
export { collectMetrics, Metrics } from "./middleware/metrics/index.js";
export { requestLog } from "./middleware/request-log/index.js";
export { type FieldError, problem } from "./problem.js";
export type { ApiRoute, RouteContext } from "./routes/context.js";
export { type ApiSchemas, apiSchemas, fieldErrors } from "./routes/schemas.js";
export { ModelLoadError, type ServerOptions, startServer } from "./start.js";
