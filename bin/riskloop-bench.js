#!/usr/bin/env node
// Entry point for `npm run bench [name...]`: registers the TypeScript loader, then runs the harness.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../bench/harness.ts");
await main(process.argv.slice(2));
