// Headless Debian Chromium driven by playwright-core, loading a page from a static server on
// 127.0.0.1 that serves the consumer project (core.wasm as application/wasm). The page's import map
// points `otel-sieve` at the file the exports map selects for the `browser` condition.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { resolveExport } from './pack.js';
import type { PackedPackage } from './pack.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
export const BROWSER_CONDITIONS = ['browser', 'import'] as const;

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

export interface PageRun {
  /** What the page posted to /results. */
  report: { fatal?: string; runtime?: string; resolved?: string; results?: unknown[] };
  /** Every request the server saw, as "METHOD path status content-type". */
  requests: string[];
  entry: string;
  console: string[];
}

export async function runInChromium(pkg: PackedPackage, runDir: string, casesJson: string, timeoutMs: number): Promise<PageRun> {
  if (!existsSync(CHROMIUM)) throw new Error('install Debian chromium: apt-get install -y chromium');
  const entry = resolveExport(pkg, '.', BROWSER_CONDITIONS);
  const harness = `/${relative(pkg.consumerDir, join(runDir, 'harness')).split(sep).join('/')}`;
  const importMap = { imports: { 'otel-sieve': `/node_modules/otel-sieve/${entry}` } };
  const page = `<!doctype html>
<meta charset="utf-8">
<title>otel-sieve runtime probe</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module" src="${harness}/page.mjs"></script>
`;
  const requests: string[] = [];
  let deliver!: (r: PageRun['report']) => void;
  const posted = new Promise<PageRun['report']>((resolve) => (deliver = resolve));

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const send = (status: number, type: string, body: string | Buffer) => {
      requests.push(`${req.method} ${path} ${status} ${type}`);
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') return send(200, MIME['.html']!, page);
    if (path === '/cases') return send(200, MIME['.json']!, casesJson);
    if (path === '/results' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        send(204, 'text/plain', '');
        try {
          deliver(JSON.parse(body));
        } catch {
          deliver({ fatal: `unparseable results: ${body.slice(0, 200)}` });
        }
      });
      return;
    }
    const file = normalize(join(pkg.consumerDir, path));
    if (!file.startsWith(pkg.consumerDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return send(404, 'text/plain', 'not found');
    }
    send(200, MIME[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let context: BrowserContext | undefined;
  const messages: string[] = [];
  try {
    context = await chromium.launchPersistentContext(join(runDir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: timeoutMs,
    });
    const tab = context.pages()[0] ?? (await context.newPage());
    tab.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
    tab.on('pageerror', (e) => {
      messages.push(`pageerror: ${e.message}`);
      deliver({ fatal: `page error: ${e.stack ?? e.message}` });
    });
    await tab.goto(`${origin}/`, { timeout: timeoutMs });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the page posted no results within ${timeoutMs} ms\nconsole:\n${messages.join('\n')}\nrequests:\n${requests.join('\n')}`)), timeoutMs);
    });
    const report = await Promise.race([posted, timeout]).finally(() => clearTimeout(timer));
    return { report, requests, entry, console: messages };
  } finally {
    await context?.close().catch(() => {});
    await new Promise((resolve) => server.close(resolve));
  }
}
