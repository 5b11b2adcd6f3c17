// Chromium: the page's import map points `otel-sieve` at the entry the exports map selects for the
// `browser` condition. Fetches the cases from the test server, posts the results back.
import * as api from 'otel-sieve';
import { probeCases } from './probe.mjs';

const post = (body) => fetch('/results', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

try {
  const { cases } = await (await fetch('/cases')).json();
  await api.init();
  const results = await probeCases(api, cases);
  await post({ runtime: navigator.userAgent, resolved: import.meta.resolve('otel-sieve'), results });
} catch (err) {
  await post({ fatal: String(err?.stack ?? err) });
}
