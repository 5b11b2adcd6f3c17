// workerd: the behaviour-table worker. One handler per pipeline of pipelines.mjs, chosen by the
// x-test-pipeline header, each exporting to a memory exporter; GET /__exported returns (and
// clears) the ids exported so far, so the test can compare by id with Node.
import * as api from 'otel-sieve';
import { HANDLER_OPTIONS, makePipelines, memoryExporter } from './pipelines.mjs';

let handlers;
const exported = memoryExporter();

export default {
  async fetch(request, env, ctx) {
    await api.init();
    handlers ??= Object.fromEntries(Object.entries(makePipelines(api)).map(([name, p]) => [
      name,
      api.createOtlpHandler(p, { ...HANDLER_OPTIONS, exporters: [exported], onError: () => {} }),
    ]));
    if (new URL(request.url).pathname === '/__exported') {
      return Response.json(exported.ids.splice(0));
    }
    const handler = handlers[request.headers.get('x-test-pipeline') ?? 'drop-health'];
    if (!handler) return new Response('unknown pipeline', { status: 500 });
    return handler(request, ctx);
  },
};
