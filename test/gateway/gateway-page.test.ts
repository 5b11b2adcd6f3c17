// The page at `/` in headless Chromium (playwright-core, Debian's chromium): after real SDK traffic
// the service graph draws exactly the services that were sent, with the edges between them; a
// TraceQL query lists the traces it should; clicking one draws its waterfall. A screenshot of the
// page is saved in the test run (test/.tmp/gateway-page.png).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../runtimes/chromium.js';
import { TMP } from '../runtimes/pack.js';
import { killAll } from '../runtimes/processes.js';
import { eventually, gatewayDir, startGateway } from './helpers/gateway-process.js';
import type { RunningGateway } from './helpers/gateway-process.js';
import { SERVICES, sendShopTraffic, traceIds } from './helpers/sdk-traffic.js';
import { decodedLogs, logsRequest } from '../helpers/signal-requests.js';

const TIMEOUT = 60_000;
const CONFIG = `
receivers:
  otlp:
    protocols:
      http:
connectors:
  spanmetrics:
    histogram: { unit: s }
    metrics_flush_interval: 1s
  servicegraph:
    metrics_flush_interval: 1s
    store: { ttl: 1s }
exporters:
  debug: { verbosity: basic, sampling_initial: 0 }
  prometheus: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [debug, spanmetrics, servicegraph]
    metrics:
      receivers: [spanmetrics, servicegraph]
      exporters: [prometheus]
    logs:
      receivers: [otlp]
      exporters: [debug]
`;

let gw: RunningGateway;
let browser: Browser;
let sent: ReadableSpan[] = [];
const logs = logsRequest([{ attrs: { 'service.name': 'frontend' }, records: [{ body: 'page viewed', severity: 9 }, { body: 'cart empty', severity: 13 }] }]);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error('install Debian chromium: apt-get install -y chromium');
  gw = await startGateway({ config: CONFIG, dir: gatewayDir('page') });
  sent = await sendShopTraffic(`${gw.url}/v1/traces`);
  const answer = await fetch(`${gw.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: logs as BodyInit });
  if (answer.status !== 200) throw new Error(`/v1/logs answered ${answer.status}: ${await answer.text()}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: TIMEOUT });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gw?.stop('SIGTERM');
  killAll();
});

describe('the page at /', () => {
  it('draws the service graph of the services sent, lists TraceQL matches, shows a waterfall', async () => {
    // The edges come from the servicegraph connector's collection (every second here).
    await eventually(async () => {
      const o = await (await fetch(`${gw.url}/api/sieve/overview`)).json() as { edges: unknown[] };
      return o.edges.length >= 2 ? true : undefined;
    }, () => 'no service-graph edges in /api/sieve/overview');
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? problems.push(m.text()) : undefined));
    await page.goto(`${gw.url}/`, { timeout: TIMEOUT });
    await page.waitForFunction((n) => document.querySelectorAll('#service-graph g.node[data-service]').length >= n, SERVICES.length, { timeout: TIMEOUT });
    const drawn = await page.$$eval('#service-graph g.node[data-service]', (nodes) => nodes.map((n) => n.getAttribute('data-service')).sort());
    expect(drawn).toEqual([...SERVICES].sort());
    const edges = await page.$$eval('#service-graph path.edge', (paths) => paths.map((p) => `${p.getAttribute('data-client')}→${p.getAttribute('data-server')}`).sort());
    expect(edges).toEqual(['checkout→cart', 'frontend→checkout']);
    // RED rows for every operation the SDK made.
    const ops = await page.$$eval('#red tbody tr', (rows) => rows.map((r) => `${r.children[0]!.textContent}/${r.children[1]!.textContent}`));
    const want = [...new Set(sent.map((s) => `${s.resource.attributes['service.name']}/${s.name}`))].sort();
    expect([...new Set(ops)].sort()).toEqual(want);
    expect(await page.$$eval('#histograms .hist', (h) => h.map((x) => x.getAttribute('data-service')).sort())).toEqual([...SERVICES].sort());

    // The header shows log records (accepted → exported) since a logs pipeline exists; no metrics pipeline takes OTLP.
    const records = decodedLogs(logs).length;
    await page.waitForFunction(() => !(document.getElementById('c-logs-box') as HTMLElement).hidden, undefined, { timeout: TIMEOUT });
    expect(await page.$eval('#c-logs', (e) => e.textContent)).toBe(`${records} → ${records}`);
    expect(await page.$eval('#c-points-box', (e) => (e as HTMLElement).hidden)).toBe(true);

    await page.fill('#q', '{ status = error }');
    await page.click('#search-form button');
    await page.waitForSelector('#results[data-count]', { timeout: TIMEOUT });
    const listed = await page.$$eval('#results tbody tr[data-trace-id]', (rows) => rows.map((r) => r.getAttribute('data-trace-id')).sort());
    const errors = traceIds(sent.filter((s) => s.status.code === SpanStatusCode.ERROR)).map((id) => id.replace(/^0+/, '')).sort();
    expect(listed).toEqual(errors);

    await page.click('#results tbody tr[data-trace-id]');
    await page.waitForSelector('#trace-view:not([hidden]) .span-row', { timeout: TIMEOUT });
    const first = await page.$eval('#results tbody tr.selected', (r) => r.getAttribute('data-trace-id'));
    const rows = await page.$$eval('#waterfall .span-row', (r) => r.map((x) => x.getAttribute('data-span-id')).sort());
    expect(rows).toEqual(sent.filter((s) => s.spanContext().traceId.replace(/^0+/, '') === first).map((s) => s.spanContext().spanId).sort());
    expect(await page.$$eval('#waterfall .bar.error', (b) => b.length)).toBe(1);

    await page.screenshot({ path: join(TMP, 'gateway-page.png'), fullPage: true });
    expect(existsSync(join(TMP, 'gateway-page.png'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
