import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "lib/**/*.test.ts",
      "worker/**/*.test.ts",
      "test/**/*.test.ts",
      "app/**/*.test.ts",
      "scripts/**/*.test.ts",
      "bin/**/*.test.ts",
    ],
    globalSetup: ["test/harness/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  },
});
