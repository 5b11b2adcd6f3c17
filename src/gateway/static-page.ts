// The page at `/`: plain HTML, CSS and JavaScript files shipped beside this module (dist/src/gateway
// /page/), read once at start and served as they are — no build step at run time, nothing fetched
// from elsewhere, so it works offline.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const FILES: Readonly<Record<string, { file: string; type: string }>> = Object.freeze({
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
  '/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
});

export type StaticPage = (request: Request, url: URL) => Response | undefined;

export async function loadStaticPage(dir: URL = new URL('./page/', import.meta.url)): Promise<StaticPage> {
  const bodies = new Map<string, { body: string; type: string }>();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const at = new URL(file, dir);
    let body: string;
    try {
      body = await readFile(at, 'utf8');
    } catch (err) {
      throw new Error(`the gateway page is missing: ${fileURLToPath(at)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); rebuild with npm run build:ts`);
    }
    bodies.set(path, { body, type });
  }
  return (request, url) => {
    const hit = bodies.get(url.pathname);
    if (!hit) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('405 method not allowed, supported: [GET]', { status: 405, headers: { allow: 'GET, HEAD' } });
    return new Response(request.method === 'HEAD' ? null : hit.body, { status: 200, headers: { 'content-type': hit.type, 'cache-control': 'no-cache' } });
  };
}
