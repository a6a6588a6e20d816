import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The end-to-end tests spawn the CLI; two cores are enough for two files at once.
    maxWorkers: 2,
    // The local ClickHouse cluster for the engine tests (started and stopped by the project's script).
    globalSetup: ["test-support/clickhouse-global-setup.ts"],
  },
});
