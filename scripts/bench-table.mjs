// Runs `otel-sieve bench --json` in-process and prints the README's benchmark table (markdown):
// one row per (group, implementation) with throughput and our ratio against each baseline.
import '../dist/src/entry/node.js';
import { runBench } from '../dist/bench/run.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const { report } = await runBench({ time: Number(opt('time', 1000)), requests: Number(opt('requests', 20)), suite: opt('suite') });
const rate = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`);
const out = [`Measured with \`${['node scripts/bench-table.mjs', ...args].join(' ')}\` on ${report.runtime} (${report.timePerTaskMs} ms per task).`, ''];
for (const group of [...new Set(report.results.map((r) => `${r.suite} — ${r.group}`))]) {
  const rows = report.results.filter((r) => `${r.suite} — ${r.group}` === group);
  out.push(`**${group}**`, '', `| implementation | ${rows[0].unit ?? 'spans'}/s | MB/s | otel-sieve speed-up |`, '|---|---:|---:|---|');
  for (const r of rows) {
    const ratios = Object.entries(r.ratios).map(([b, v]) => `${v.toFixed(1)}× vs ${b}`).join('<br>');
    out.push(`| ${r.kind === 'ours' ? `**${r.name}**` : r.name} | ${rate(r.spansPerSecond)} | ${r.megabytesPerSecond.toFixed(0)} | ${ratios} |`);
  }
  out.push('');
}
for (const [suite, facts] of Object.entries(report.notes)) {
  out.push(`**${suite} — measured facts**`, '');
  for (const [k, v] of Object.entries(facts)) out.push(`- ${k}: ${v}`);
  out.push('');
}
process.stdout.write(out.join('\n'));
