// `otel-sieve serve --demo` on the built-in config, as the README's main-job command runs it: the
// load generator's traffic flows within seconds (progress lines, /metrics, the trace store, the
// derived metrics), the default processors do their work (tail sampling keeps a share, redaction
// masks e-mail addresses), and SIGTERM leaves the kept spans in ./otel-sieve-data/traces.jsonl.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../runtimes/processes.js';
import { eventually, gatewayDir, startGateway } from './helpers/gateway-process.js';

afterAll(() => killAll());

const metric = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

describe('otel-sieve serve --demo', () => {
  it('shows spans flowing within seconds on the built-in config, and stops cleanly', async () => {
    const dir = gatewayDir('demo');
    const gw = await startGateway({ dir, args: ['--demo', '--demo-rate', '3000'] });
    try {
      await eventually(async () => (gw.stdout().includes('demo: sending') ? true : undefined), () => gw.stdout());
      expect(gw.stdout()).toMatch(/^demo: sending ~3,000 spans\/s of generated shop traffic to itself; open http:\/\/127\.0\.0\.1:\d+\/ — Ctrl-C to stop$/m);
      const text = await eventually(async () => {
        const t = await (await fetch(`${gw.url}/metrics`)).text();
        // Tail sampling decides after decision_wait (5 s): then the store has what it kept.
        return metric(t, 'otelcol_receiver_accepted_spans_total') > 0 && /^traces_span_metrics_calls_total\{/m.test(t) && metric(t, 'otelcol_trace_store_spans') > 0 ? t : undefined;
      }, () => `no traffic on /metrics\n${gw.stderr()}`, 30_000);
      const decided = (sampled: string) => Number(new RegExp(`^otelcol_processor_tail_sampling_global_count_traces_sampled_total\\{[^}]*sampled="${sampled}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
      // A share is kept (errors, slow, 5 %): not everything, not nothing.
      expect(decided('true')).toBeGreaterThan(0);
      expect(decided('false')).toBeGreaterThan(decided('true'));
      const progress = await eventually(async () => (/^received [\d,]+ spans · kept [\d,]+ \([\d.]+%\) · dropped [\d,]+ · [\d,]+ spans\/s · [\d,]+ series · http:\/\/127\.0\.0\.1:\d+\/$/m.test(gw.stdout()) ? gw.stdout() : undefined), () => `no progress line\n${gw.stdout()}`, 15_000);
      expect(progress).toContain(gw.url);
      const found = await (await fetch(`${gw.url}/api/search?${new URLSearchParams({ q: '{ status = error }', limit: '5' })}`)).json() as { traces: { rootServiceName: string }[] };
      expect(found.traces.length).toBeGreaterThan(0);
      expect(await gw.stop('SIGTERM')).toBe(0);
      expect(gw.stdout()).toMatch(/^otel-sieve serve: stopped; received \d+ spans, kept \d+, dropped \d+, refused \d+$/m);
      const file = join(dir, 'otel-sieve-data', 'traces.jsonl');
      expect(existsSync(file)).toBe(true);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const values = lines.flatMap((l) => (JSON.parse(l) as { resourceSpans: { scopeSpans: { spans: { attributes?: { key: string; value: { stringValue?: string } }[] }[] }[] }[] })
        .resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.flatMap((s) => s.attributes ?? []))));
      const emails = values.filter((a) => /e-?mail/i.test(a.key));
      expect(emails.length).toBeGreaterThan(0);
      expect(emails.every((a) => a.value.stringValue === '****')).toBe(true);
    } finally {
      await gw.stop('SIGKILL');
    }
  }, 90_000);
});
