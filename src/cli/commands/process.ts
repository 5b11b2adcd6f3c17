// `otel-sieve process --config C.yaml --input F… --output O [--metrics-output M]`: runs the
// pipelines of a collector config over OTLP files of one signal — traces, logs or metrics, told by
// the inputs like `convert` does. --input stands in for the config's receivers and --output /
// --metrics-output for its exporters (checked for shape, never started). Inputs are fed in order,
// then every buffer is flushed (tail sampling decides all pending traces; then logs that follow
// their traces are released).
import { readFile } from 'node:fs/promises';
import { parseArgs, flag, flagList } from '../args.js';
import { UsageError, InputError } from '../errors.js';
import { formatFromPath, readDocuments, writeBytes } from '../io.js';
import type { InputDocument } from '../io.js';
import { decodeSignalDocument } from '../decode.js';
import { inferSignal, parseSignal } from '../signal.js';
import type { SignalBatch } from '../signal.js';
import { encodeBatches } from './convert.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { LogBatch } from '../../otlp/log-batch.js';
import type { MetricBatch } from '../../otlp/metric-batch.js';
import { metricsFormatForPath, serializeMetrics } from '../../metrics/serialize-metrics.js';
import type { MetricsFormat } from '../../metrics/serialize-metrics.js';

export const processHelp = `Usage: otel-sieve process --config <C.yaml> --input <file>… --output <file> [--metrics-output <file>]

Runs the pipelines of an OpenTelemetry Collector config (receivers, processors, exporters,
connectors, service.pipelines) over OTLP files of traces, logs or metrics: the inputs' signal picks
the config's pipelines of that signal. --input replaces the receivers, --output the exporters; they
are checked for shape but not started. End of input flushes every buffer.

Options:
  --config <file>          the collector YAML config
  --input <file>…          OTLP inputs (.pb, .json, .jsonl, or - for stdin), processed in order; all
                           of one signal (told as convert tells it)
  --output <file>          where the output goes; the extension picks the format (.pb, .json, .jsonl)
  --signal <s>             traces | logs | metrics: how to read protobuf input (checked against JSON)
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
  signal: { value: true },
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
  const docs: InputDocument[] = [];
  for (const path of inputs) docs.push(...(await readDocuments(path, 'process', flag(args, 'input-format'))));
  const signal = parseSignal(flag(args, 'signal'), 'process') ?? inferSignal(docs);
  if (!pipeline.signals.includes(signal)) {
    throw new UsageError(`process: the inputs hold ${signal}, but ${configPath} has no ${signal} pipeline taking data from a receiver (add service.pipelines.${signal} with receivers: [otlp])`);
  }
  const out: SignalBatch[] = [];
  try {
    for (const doc of docs) {
      const batch = decodeSignalDocument(doc, signal);
      if (signal === 'logs') out.push(...pipeline.processLogs(batch as LogBatch));
      else if (signal === 'metrics') out.push(...pipeline.processMetrics(batch as MetricBatch));
      else out.push(...pipeline.process(batch as TraceBatch));
    }
    const end = Date.now();
    // Traces first: their decisions release the logs that follow them.
    for (const s of pipeline.signals) {
      const flushed = s === 'traces' ? pipeline.flush(end) : s === 'logs' ? pipeline.flushLogs(end) : pipeline.flushMetrics(end);
      if (s === signal) out.push(...flushed);
      else for (const b of flushed) b.dispose();
    }
    await writeBytes(output, encodeBatches(out, outFormat, signal));
    if (metricsOutput && metricsFormat) await writeBytes(metricsOutput, serializeMetrics(pipeline.metrics(end), metricsFormat));
    return 0;
  } finally {
    for (const b of out) b.dispose();
    pipeline.shutdown();
  }
}
