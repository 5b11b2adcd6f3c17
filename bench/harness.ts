// The benchmark harness behind `otel-sieve bench`: suites contribute tasks grouped by what they
// compare; every group runs its baselines in the same process and run, and results are reported
// as throughput plus ratios against those baselines (absolute numbers vary with the machine; ratios
// taken in one run are what the README quotes).
import { Bench } from 'tinybench';

export interface BenchTask {
  /** Row label, e.g. 'otel-sieve: index'. */
  name: string;
  /** Tasks in a group do the same work and are compared with each other. */
  group: string;
  /** Our implementation, or a baseline to compare against. */
  kind: 'ours' | 'baseline';
  /** Work per iteration, for throughput: spans (or items) and input bytes. */
  spans: number;
  bytes: number;
  /** What `spans` counts, for the report ('spans' when absent): 'log records', 'data points'… */
  unit?: string;
  fn: () => unknown;
}

export interface BenchSuite {
  name: string;
  tasks: BenchTask[];
  /** Extra facts a suite measured outside tinybench (memory per span…), printed after the table. */
  notes?: () => Record<string, number | string>;
  /** Releases what the suite holds (core batches). */
  teardown?: () => void;
}

export interface TaskResult {
  suite: string;
  group: string;
  name: string;
  kind: 'ours' | 'baseline';
  msPerIteration: number;
  spansPerSecond: number;
  megabytesPerSecond: number;
  /** Baseline name → our speed ÷ theirs (only on our rows). */
  ratios: Record<string, number>;
  samples: number;
  /** What spansPerSecond counts ('spans' unless the task said otherwise). */
  unit?: string;
}

export interface BenchReport {
  runtime: string;
  timePerTaskMs: number;
  results: TaskResult[];
  notes: Record<string, Record<string, number | string>>;
}

export interface RunOptions {
  /** Measuring time per task in ms (after warm-up). */
  time: number;
  /** Only run suites whose name matches. */
  suite?: RegExp;
  /** Called after each task with a progress line. */
  progress?: (line: string) => void;
}

export async function runSuites(suites: BenchSuite[], options: RunOptions): Promise<BenchReport> {
  const results: TaskResult[] = [];
  const notes: Record<string, Record<string, number | string>> = {};
  for (const suite of suites) {
    if (options.suite && !options.suite.test(suite.name)) continue;
    const bench = new Bench({ time: options.time, warmupTime: Math.min(500, options.time / 2), throws: true });
    // tinybench wants unique names; the same implementation appears in several groups.
    const key = (t: BenchTask) => `${t.group}\u0001${t.name}`;
    for (const t of suite.tasks) bench.add(key(t), t.fn);
    await bench.run();
    const byName = new Map(suite.tasks.map((t) => [key(t), t]));
    const suiteResults: TaskResult[] = [];
    for (const task of bench.tasks) {
      const spec = byName.get(task.name)!;
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`bench ${suite.name} / ${task.name}: ${r.state}`);
      const ms = r.period;
      suiteResults.push({
        suite: suite.name,
        group: spec.group,
        name: spec.name,
        kind: spec.kind,
        msPerIteration: ms,
        spansPerSecond: (spec.spans / ms) * 1000,
        megabytesPerSecond: spec.bytes / ms / 1000,
        ratios: {},
        samples: r.latency.samplesCount,
        ...(spec.unit ? { unit: spec.unit } : {}),
      });
      options.progress?.(`${suite.name} · ${spec.name}: ${formatRate(spec.spans / ms * 1000)} ${spec.unit ?? 'spans'}/s`);
    }
    for (const ours of suiteResults.filter((r) => r.kind === 'ours')) {
      for (const base of suiteResults.filter((r) => r.kind === 'baseline' && r.group === ours.group)) {
        ours.ratios[base.name] = ours.spansPerSecond / base.spansPerSecond;
      }
    }
    results.push(...suiteResults);
    if (suite.notes) notes[suite.name] = suite.notes();
    suite.teardown?.();
  }
  return { runtime: `Node ${process.versions.node}`, timePerTaskMs: options.time, results, notes };
}

export function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(0);
}

/** A plain-text table per group: throughput, then our ratio against each baseline. */
export function formatReport(report: BenchReport): string {
  const lines: string[] = [`otel-sieve bench — ${report.runtime}, ${report.timePerTaskMs} ms per task`];
  const groups = [...new Set(report.results.map((r) => `${r.suite}\u0000${r.group}`))];
  for (const key of groups) {
    const [suite, group] = key.split('\u0000') as [string, string];
    lines.push('', `${suite} — ${group}`);
    for (const r of report.results.filter((x) => x.suite === suite && x.group === group)) {
      const ratios = Object.entries(r.ratios).map(([b, v]) => `${v.toFixed(1)}× ${b}`).join(', ');
      lines.push(
        `  ${r.kind === 'ours' ? '▶' : ' '} ${r.name.padEnd(48)} ${formatRate(r.spansPerSecond).padStart(9)} ${r.unit ?? 'spans'}/s ${r.megabytesPerSecond.toFixed(0).padStart(6)} MB/s${ratios ? `   ${ratios}` : ''}`,
      );
    }
  }
  for (const [suite, facts] of Object.entries(report.notes)) {
    lines.push('', `${suite} — notes`);
    for (const [k, v] of Object.entries(facts)) lines.push(`  ${k}: ${v}`);
  }
  return lines.join('\n') + '\n';
}
