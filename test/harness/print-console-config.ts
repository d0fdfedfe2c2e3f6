/**
 * Prints, as JSON, the configuration the console runs with: what instrumentation.ts does at the
 * console's start (check it, reading the .env files), then what every route reads (getConfig()).
 * Run it with the working directory of the project whose .env files count (test/env-files.test.ts).
 */
import { getConfig } from "../../lib/config.ts";
import { exitOnBadConsoleConfig } from "../../lib/console-config.ts";

exitOnBadConsoleConfig();
process.stdout.write(JSON.stringify(getConfig()));
