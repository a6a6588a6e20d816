export { type AppOptions, createApp } from "./app.js";
export { type FieldError, problem } from "./problem.js";
export { ModelLoadError, type ServerOptions, startServer } from "./start.js";
export { validateRecord } from "./validate.js";
