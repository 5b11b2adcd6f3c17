// `npm run bench:processors`: runs bench/suites/processors.ts and prints throughput and ratios.
import { initSync } from '../src/core/init.js';
import { readFileSync } from 'node:fs';
import { runProcessorBenchmarks } from './suites/processors.js';

initSync(readFileSync(new URL('../core.wasm', import.meta.url)));
const results = await runProcessorBenchmarks({ time: Number(process.env.BENCH_TIME ?? 2000) });
for (const r of results) {
  const rate = r.perSecond >= 1e6 ? `${(r.perSecond / 1e6).toFixed(2)} M` : `${(r.perSecond / 1e3).toFixed(1)} k`;
  console.log(`${r.group.padEnd(14)} ${r.name.padEnd(66)} ${rate} ${r.unit}/s${r.ratio !== undefined ? `  ×${r.ratio.toFixed(1)}` : ''}`);
}
