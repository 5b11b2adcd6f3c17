// A Prometheus scrape endpoint as a web-standard `(Request) => Response` function: GET /metrics
// answers the source's exposition text, in OpenMetrics when the scraper asks for it (exemplars
// exist only there), with the content types Prometheus and prom-client use.
import type { PrometheusSource } from './metrics-source.js';

export interface PrometheusHandlerOptions {
  /** The path served; others get 404. `null` serves any path. Default `/metrics`. */
  path?: string | null;
  /** Offer OpenMetrics to scrapers that accept it. Default true. */
  openMetrics?: boolean;
  /** Told when rendering fails (answered 500). Default console.error. */
  onError?: (error: Error) => void;
}

export const DEFAULT_PROMETHEUS_HANDLER_OPTIONS: Readonly<Required<PrometheusHandlerOptions>> = Object.freeze({
  path: '/metrics',
  openMetrics: true,
  onError: (error: Error) => console.error(`otel-sieve Prometheus handler: ${error.message}`),
});

import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../../metrics/prometheus-text.js';

/** The Prometheus text exposition format 0.0.4 (one definition, in src/metrics). */
export const PROMETHEUS_CONTENT_TYPE = PROMETHEUS_TEXT_CONTENT_TYPE;
import { OPENMETRICS_CONTENT_TYPE } from '../../metrics/openmetrics-text.js';

export { OPENMETRICS_CONTENT_TYPE };

export function createPrometheusHandler(source: PrometheusSource, options: PrometheusHandlerOptions = {}): (request: Request) => Promise<Response> {
  if (!source || typeof source.render !== 'function') throw new TypeError('createPrometheusHandler(source): source must have render(format)');
  const d = DEFAULT_PROMETHEUS_HANDLER_OPTIONS;
  const path = options.path === undefined ? d.path : options.path;
  const openMetrics = options.openMetrics ?? d.openMetrics;
  const onError = options.onError ?? d.onError;
  return async (request) => {
    if (path !== null && new URL(request.url).pathname !== path) return new Response('404 page not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('405 method not allowed, supported: [GET, HEAD]', { status: 405, headers: { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' } });
    }
    const format = openMetrics && /application\/openmetrics-text/i.test(request.headers.get('accept') ?? '') ? 'openmetrics' : 'prometheus';
    let body: string;
    try {
      body = await source.render(format);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      onError(error);
      return new Response(`500 collecting metrics failed: ${error.message}`, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    const headers = { 'content-type': format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
