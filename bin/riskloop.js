#!/usr/bin/env node
// Entry point for `npx riskloop`: registers the TypeScript loader, then runs the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../app/cli.ts");
await main(process.argv);
