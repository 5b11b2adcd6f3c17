// CORS for browsers posting OTLP to another origin (a page exporting to its worker). Same model
// as the collector's `cors` block: allowed origins, exact or with one `*` wildcard, extra allowed
// headers, a preflight max age. Requests from other origins are still processed, only without
// CORS headers, so the browser hides the response — as the collector does.

export interface CorsOptions {
  /**
   * Origins allowed to post: exact (`https://app.example.com`), `*` for any, or with one `*`
   * standing for a run of host characters (`https://*.example.com`). Required.
   */
  allowedOrigins: readonly string[];
  /** Request headers a page may send besides the ones OTLP uses (Content-Type, Content-Encoding, Accept). Default none. */
  allowedHeaders?: readonly string[];
  /** How long (seconds) a browser may cache a preflight answer. Default: not sent (the browser's default, 5 s). */
  maxAge?: number;
}

const BASE_HEADERS = ['content-type', 'content-encoding', 'accept', 'accept-encoding', 'x-requested-with'];

export interface CorsPolicy {
  /** The Access-Control-Allow-Origin value for `origin`, or undefined when it is not allowed. */
  allow(origin: string | null): string | undefined;
  /** Answers a preflight request. */
  preflight(request: Request): Response;
}

function matcher(pattern: string): (origin: string) => boolean {
  if (pattern === '*') return () => true;
  const star = pattern.indexOf('*');
  if (star < 0) return (o) => o.toLowerCase() === pattern.toLowerCase();
  const head = pattern.slice(0, star).toLowerCase();
  const tail = pattern.slice(star + 1).toLowerCase();
  return (o) => {
    const v = o.toLowerCase();
    return v.length > head.length + tail.length && v.startsWith(head) && v.endsWith(tail)
      && /^[a-z0-9.-]+$/.test(v.slice(head.length, v.length - tail.length));
  };
}

export function corsPolicy(options: CorsOptions): CorsPolicy {
  if (!options || !Array.isArray(options.allowedOrigins)) throw new TypeError('cors.allowedOrigins must be an array of origins');
  const matchers = options.allowedOrigins.map((p) => {
    if (typeof p !== 'string' || p === '' || p.split('*').length > 2) throw new TypeError(`cors.allowedOrigins: "${p}" must be an origin, "*", or an origin with one "*"`);
    return matcher(p);
  });
  const any = options.allowedOrigins.includes('*');
  const headers = [...BASE_HEADERS, ...(options.allowedHeaders ?? []).map((h) => h.toLowerCase())];
  if (options.maxAge !== undefined && !(Number.isInteger(options.maxAge) && options.maxAge >= 0)) {
    throw new TypeError(`cors.maxAge must be a non-negative integer number of seconds, got ${options.maxAge}`);
  }
  const allow = (origin: string | null): string | undefined => {
    if (!origin) return undefined;
    if (any) return '*';
    return matchers.some((m) => m(origin)) ? origin : undefined;
  };
  return {
    allow,
    preflight(request) {
      const origin = allow(request.headers.get('origin'));
      const method = request.headers.get('access-control-request-method');
      if (!origin || (method !== null && method.toUpperCase() !== 'POST')) {
        return new Response(`403 CORS preflight refused: origin or method not allowed`, { status: 403, headers: { 'content-type': 'text/plain', vary: 'Origin' } });
      }
      const asked = (request.headers.get('access-control-request-headers') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
      const refused = asked.filter((h) => !headers.includes(h));
      if (refused.length) {
        return new Response(`403 CORS preflight refused: header(s) ${refused.join(', ')} not allowed`, { status: 403, headers: { 'content-type': 'text/plain', vary: 'Origin' } });
      }
      const h = new Headers({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': headers.join(', '),
        vary: 'Origin',
      });
      if (options.maxAge !== undefined) h.set('access-control-max-age', String(options.maxAge));
      return new Response(null, { status: 204, headers: h });
    },
  };
}
