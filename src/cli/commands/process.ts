// `otel-sieve process --config C.yaml --input F… --output O [--metrics-output M]`: runs the traces
// pipelines of a collector config over OTLP files. --input stands in for the config's receivers and
// --output / --metrics-output for its exporters (checked for shape, never started). Inputs are fed
// in order, then every buffer is flushed (tail sampling decides all pending traces).
import { readFile } from 'node:fs/promises';
import { parseArgs, flag, flagList } from '../args.js';
import { UsageError, InputError } from '../errors.js';
import { formatFromPath, readDocuments, writeBytes } from '../io.js';
import { decodeDocument } from '../decode.js';
import { encodeBatches } from './convert.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { metricsFormatForPath, serializeMetrics } from '../../metrics/serialize-metrics.js';
import type { MetricsFormat } from '../../metrics/serialize-metrics.js';

export const processHelp = `Usage: otel-sieve process --config <C.yaml> --input <file>… --output <file> [--metrics-output <file>]

Runs the traces pipelines of an OpenTelemetry Collector config (receivers, processors, exporters,
connectors, service.pipelines) over OTLP files. --input replaces the receivers, --output the
exporters; they are checked for shape but not started. End of input flushes every buffer.

Options:
  --config <file>          the collector YAML config
  --input <file>…          OTLP inputs (.pb, .json, .jsonl, or - for stdin), processed in order
  --output <file>          where the traces go; the extension picks the format (.pb, .json, .jsonl)
  --metrics-output <file>  derived metrics from the config's connectors (by extension: Prometheus
                           text .prom, OpenMetrics, OTLP .json or .pb)
  --input-format <f>       pb | json | jsonl, when an input's extension does not say
  --output-format <f>      pb | json | jsonl, for --output -
  -h, --help               this text
`;

const SPEC = {
  config: { value: true },
  input: { value: true, greedy: true },
  output: { value: true },
  'metrics-output': { value: true },
  'input-format': { value: true },
  'output-format': { value: true },
  help: { value: false },
} as const;

export async function processCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'process');
  if (flag(args, 'help')) {
    process.stdout.write(processHelp);
    return 0;
  }
  const configPath = flag(args, 'config');
  const inputs = [...flagList(args, 'input'), ...args.positionals];
  const output = flag(args, 'output');
  const metricsOutput = flag(args, 'metrics-output');
  if (!configPath) throw new UsageError('process: --config is required');
  if (!inputs.length) throw new UsageError('process: no input given (--input F…)');
  if (!output) throw new UsageError('process: --output is required');
  const outFormat = formatFromPath(output === '-' ? '' : output, 'process', flag(args, 'output-format') ?? (output === '-' ? 'json' : undefined));

  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    throw new InputError(`${configPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const pipeline = Pipeline.fromConfig(text, { source: configPath });
  if (metricsOutput && pipeline.connectors.size === 0) {
    throw new UsageError(`process: --metrics-output ${metricsOutput}: no metrics connector configured (add spanmetrics or servicegraph as an exporter of the traces pipeline and a receiver of a metrics pipeline)`);
  }
  let metricsFormat: MetricsFormat | undefined;
  try {
    metricsFormat = metricsOutput ? metricsFormatForPath(metricsOutput) : undefined;
  } catch (err) {
    throw new UsageError(`process: --metrics-output ${(err as Error).message}`);
  }
  const out: TraceBatch[] = [];
  try {
    for (const path of inputs) {
      for (const doc of await readDocuments(path, 'process', flag(args, 'input-format'))) {
        out.push(...pipeline.process(decodeDocument(doc)));
      }
    }
    const end = Date.now();
    out.push(...pipeline.flush(end));
    await writeBytes(output, encodeBatches(out, outFormat));
    if (metricsOutput && metricsFormat) await writeBytes(metricsOutput, serializeMetrics(pipeline.metrics(end), metricsFormat));
    return 0;
  } finally {
    for (const b of out) b.dispose();
    pipeline.shutdown();
  }
}
