#!/usr/bin/env node
/**
 * `npx requeue …`: the operator CLI. A tiny launcher: registers tsx's loader in this process and
 * runs the TypeScript sources in bin/cli/ (see docs/cli.md).
 */
import { register } from "tsx/esm/api";

register();
await import("./cli/main.ts");
