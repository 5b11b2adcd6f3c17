#!/usr/bin/env node
// The otel-sieve command (see src/cli/main.ts). The Node entry registers where core.wasm lives.
import '../dist/src/entry/node.js';
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
