// `npm run bench:bindings`: the bindings suite (bench/suites/bindings.ts) against the facade, as
// a table with ratios. Needs the built bindings (npm run build:bindings) next to dist/, which the
// published package does not carry — hence a script of its own rather than a suite of
// `otel-sieve bench`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync } from '../src/core/init.js';
import { registerYaml } from '../src/config/yaml-module.js';
import { runSuites, formatReport } from './harness.js';
import { bindingsSuite } from './suites/bindings.js';

const artefacts = fileURLToPath(new URL('../../build/bindings/', import.meta.url));
if (!existsSync(artefacts)) {
  console.error(`bench:bindings: ${artefacts} is missing: run npm run build:bindings first`);
  process.exit(2);
}
initSync(readFileSync(new URL('../core.wasm', import.meta.url)));
registerYaml(await import('yaml'));
const suite = await bindingsSuite({ artefacts, requests: Number(process.env.BENCH_REQUESTS ?? 8) });
const report = await runSuites([suite], { time: Number(process.env.BENCH_TIME ?? 1000), progress: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
