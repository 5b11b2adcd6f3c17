// Runs a pipeline program in the facade's core: the code path every binding uses (load, then one
// run per request: process, flush, collect), so the JavaScript API can produce — and tests can
// compare — exactly what the component and the collector plug-ins produce.
import * as PG from '../../assembly/abi/pipeline-program-layout.js';
import { getCore } from '../core/init.js';
import type { Core } from '../core/core.js';
import { DisposedError } from '../core/errors.js';
import type { Millis } from '../pipeline/types.js';
import { PipelineProgramError } from './program-error.js';

/** The output of one request: what the pipeline exports, and the derived metrics at that time. */
export interface ProgramOutput {
  /** An ExportTraceServiceRequest (every output batch, concatenated; empty when nothing is left). */
  readonly traces: Uint8Array;
  /** An ExportMetricsServiceRequest from the program's connectors (empty without connectors). */
  readonly metrics: Uint8Array;
}

const utf8 = new TextDecoder();

interface Held {
  core: Core;
  generation: number;
  runner: number;
}

const registry = new FinalizationRegistry<Held>((held) => {
  if (held.runner && held.core.generation === held.generation) held.core.exports.pipelineFree(held.runner);
});

function lastError(core: Core): PipelineProgramError {
  const at = core.exports.pipelineError() >>> 0;
  const dv = core.dv;
  const ptr = dv.getUint32(at + PG.PE_TEXT, true);
  const len = dv.getUint32(at + PG.PE_TEXT_LEN, true);
  return new PipelineProgramError(dv.getUint32(at + PG.PE_STATUS, true), utf8.decode(core.u8.subarray(ptr, ptr + len)));
}

export class PipelineProgramRunner {
  private readonly held: Held;
  private readonly token = {};
  private disposed = false;

  private constructor(private readonly core: Core, runner: number) {
    this.held = { core, generation: core.generation, runner };
    registry.register(this, this.held, this.token);
  }

  /** Loads a program (from compilePipelineProgram or `otel-sieve compile-config`). */
  static load(program: Uint8Array): PipelineProgramRunner {
    const core = getCore();
    const at = core.copyIn(program);
    if (!at) throw new PipelineProgramError(PG.PIPE_OUT_OF_MEMORY, `pipeline program: ${program.length} bytes do not fit the core's memory budget`);
    let runner: number;
    try {
      runner = core.call('pipelineLoad', (ex) => ex.pipelineLoad(at, program.length) >>> 0);
    } finally {
      core.free(at);
    }
    if (!runner) throw lastError(core);
    return new PipelineProgramRunner(core, runner);
  }

  private get runner(): number {
    if (this.disposed) throw new DisposedError('this PipelineProgramRunner');
    this.core.check(this.held.generation, 'this PipelineProgramRunner');
    return this.held.runner;
  }

  /**
   * Runs one ExportTraceServiceRequest (protobuf; empty is an empty request) through the program
   * at `now` (Unix ms), then flushes every buffer and collects the connectors' metrics.
   */
  process(traces: Uint8Array, now: Millis = Date.now()): ProgramOutput {
    const runner = this.runner;
    const core = this.core;
    const input = core.copyIn(traces);
    if (!input) throw new PipelineProgramError(PG.PIPE_OUT_OF_MEMORY, `input of ${traces.length} bytes does not fit the core's memory budget`);
    const status = core.call('pipelineRun', (ex) => ex.pipelineRun(runner, input, traces.length, now));
    if (status !== PG.PIPE_OK) throw lastError(core);
    const at = core.exports.pipelineOutput(runner) >>> 0;
    const dv = core.dv;
    const copy = (ptrAt: number, lenAt: number) => {
      const ptr = dv.getUint32(at + ptrAt, true);
      const out = new Uint8Array(dv.getUint32(at + lenAt, true));
      out.set(core.u8.subarray(ptr, ptr + out.length));
      return out;
    };
    return { traces: copy(PG.RO_TRACES, PG.RO_TRACES_LEN), metrics: copy(PG.RO_METRICS, PG.RO_METRICS_LEN) };
  }

  /** Frees the runner's core memory (its processors' state with it). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    registry.unregister(this.token);
    if (this.core.generation === this.held.generation) this.core.exports.pipelineFree(this.held.runner);
    this.held.runner = 0;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
