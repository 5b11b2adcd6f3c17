// `otel-sieve bench`: the benchmark suite with its baselines (protobufjs, a hand-written JS wire
// walker) in one run. The baselines are dev dependencies, so this runs from a repository checkout.
import { parseArgs, flag, flagInt } from '../args.js';

export const benchHelp = `Usage: otel-sieve bench [--json] [--time <ms>] [--requests <n>] [--suite <regex>]

Runs the benchmarks against their baselines on a generated corpus of realistic microservice
traffic (512-span requests) and prints throughput with ratios. Ratios measured in one run are
what to compare; absolute numbers depend on the machine.

Options:
  --json             machine-readable report
  --time <ms>        measuring time per task (default 1000)
  --requests <n>     corpus size in 512-span requests (default 20)
  --suite <regex>    only the suites whose name matches
  -h, --help         this text
`;

const SPEC = {
  json: { value: false },
  time: { value: true },
  requests: { value: true },
  suite: { value: true },
  help: { value: false },
} as const;

export async function bench(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'bench');
  if (flag(args, 'help')) {
    process.stdout.write(benchHelp);
    return 0;
  }
  let run: typeof import('../../../bench/run.js');
  try {
    run = await import('../../../bench/run.js');
  } catch (err) {
    throw new Error(`the bench command needs the benchmark baselines, which are dev dependencies: run it from a checkout after \`npm install\` (${(err as Error).message})`);
  }
  const json = flag(args, 'json') === 'true';
  const { text } = await run.runBench({
    json,
    time: flagInt(args, 'time', 'bench', 1000),
    requests: flagInt(args, 'requests', 'bench', 20),
    suite: flag(args, 'suite'),
    progress: json ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(text);
  return 0;
}
