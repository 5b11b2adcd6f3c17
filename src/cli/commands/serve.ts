// `otel-sieve serve [--config C.yaml] [--listen HOST:PORT] [--demo]`: the gateway (src/gateway) on
// one port. Prints the URL on stdout when it is ready; logs are JSON lines on stderr. SIGTERM or
// SIGINT: stop accepting, drain every buffer and exporter, exit 0 (1 if that did not finish within
// shutdown_timeout; a second signal exits 1 at once). --demo sends it realistic traffic from the
// bench corpus generator and shows a live progress line.
import { readFile } from 'node:fs/promises';
import { parseArgs, flag, flagInt } from '../args.js';
import { UsageError, InputError } from '../errors.js';
import { Gateway } from '../../gateway/gateway.js';
import { DEFAULT_GATEWAY_CONFIG } from '../../gateway/default-config.js';
import { parseListenAddress } from '../../gateway/gateway-config.js';
import type { ListenAddress } from '../../gateway/gateway-config.js';
import { LoadGenerator } from '../../gateway/load-generator.js';
import { startProgressLine } from '../../gateway/progress-line.js';

export const serveHelp = `Usage: otel-sieve serve [--config <C.yaml>] [--listen <host:port>] [--demo [--demo-rate <spans/s>]]

An OTLP/HTTP gateway on one port: /v1/traces, /v1/logs and /v1/metrics in (each signal the config
has a pipeline for with receivers: [otlp]), the config's pipelines (processors, connectors,
exporters), /metrics (the gateway's own telemetry and the derived metrics, Prometheus text or
OpenMetrics), Tempo's query API over recent kept traces (/api/search, /api/traces/<id>, tags,
/api/metrics/query_range), /health, and a page at /. Prints the URL when ready; logs JSON lines
to stderr. SIGTERM/SIGINT flush every buffer and exporter, then exit 0.

Options:
  --config <file>       a collector config (YAML); default: the built-in one (--print-config)
  --listen <host:port>  overrides receivers.otlp.protocols.http.endpoint (default 127.0.0.1:4318;
                        port 0 picks a free one)
  --demo                also send realistic traffic from 10 services to the gateway itself and
                        show a live progress line
  --demo-rate <n>       spans per second the demo sends (default 5000)
  --print-config        print the built-in config and exit
  -h, --help            this text
`;

const SPEC = {
  config: { value: true },
  listen: { value: true },
  demo: { value: false },
  'demo-rate': { value: true },
  'print-config': { value: false },
  help: { value: false },
} as const;

export async function serve(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'serve');
  if (flag(args, 'help')) {
    process.stdout.write(serveHelp);
    return 0;
  }
  if (flag(args, 'print-config')) {
    process.stdout.write(DEFAULT_GATEWAY_CONFIG);
    return 0;
  }
  if (args.positionals.length) throw new UsageError(`serve: unexpected argument "${args.positionals[0]}" (see otel-sieve serve --help)`);
  const configPath = flag(args, 'config');
  let listen: ListenAddress | undefined;
  const listenText = flag(args, 'listen');
  if (listenText !== undefined) {
    const parsed = parseListenAddress(listenText);
    if (typeof parsed === 'string') throw new UsageError(`serve: --listen ${parsed}`);
    listen = parsed;
  }
  const demo = flag(args, 'demo') !== undefined;
  const rate = flagInt(args, 'demo-rate', 'serve', 5000);
  if (rate <= 0) throw new UsageError('serve: --demo-rate must be positive');

  let config = DEFAULT_GATEWAY_CONFIG;
  if (configPath) {
    try {
      config = await readFile(configPath, 'utf8');
    } catch (err) {
      throw new InputError(`${configPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const gateway = await Gateway.start({ config, source: configPath ?? 'built-in config', listen });

  let stopProgress: (() => void) | undefined;
  let generator: LoadGenerator | undefined;
  const stopped = new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        gateway.log.error('second signal: exiting without finishing the shutdown', { signal });
        process.exit(1);
      }
      void (async () => {
        stopProgress?.();
        await generator?.stop();
        const ok = await gateway.shutdown(signal);
        resolve(ok ? 0 : 1);
      })();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

  const otlp = gateway.pipeline.signals.map((signal) => `${gateway.url}${gateway.settings.paths[signal]}`).join(' ');
  process.stdout.write(`otel-sieve serve: ready at ${gateway.url}/ (OTLP/HTTP: ${otlp}, metrics: ${gateway.url}/metrics)\n`);
  if (demo) {
    generator = new LoadGenerator({ url: `${gateway.url}${gateway.settings.paths.traces}`, spansPerSecond: rate });
    generator.start();
    process.stdout.write(`demo: sending ~${rate.toLocaleString('en-US')} spans/s of generated shop traffic to itself; open ${gateway.url}/ — Ctrl-C to stop\n`);
    stopProgress = startProgressLine({ url: gateway.url, summary: () => gateway.summary() });
  }
  const code = await stopped;
  const s = gateway.summary();
  const counts = gateway.receiverCounts();
  // Logs and metrics, when served, get a short clause each (spans keep the line's original wording).
  const others = (['logs', 'metrics'] as const).flatMap((signal) => {
    const c = counts[signal];
    return c ? [`; ${signal === 'logs' ? 'log records' : 'data points'}: received ${c.accepted}, exported ${c.exported}, refused ${c.refused}`] : [];
  });
  process.stdout.write(`otel-sieve serve: stopped; received ${s.received} spans, kept ${s.kept}, dropped ${s.dropped}, refused ${s.refused}${others.join('')}\n`);
  return code;
}
