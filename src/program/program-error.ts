// Failures of a pipeline program, reported by the core's runner in the same words every binding
// (the component, the collector plug-ins) reports them.
import * as PG from '../../assembly/abi/pipeline-program-layout.js';

export type PipelineProgramFailure = 'program' | 'input' | 'memory';

const REASONS: Readonly<Record<number, PipelineProgramFailure>> = {
  [PG.PIPE_BAD_PROGRAM]: 'program',
  [PG.PIPE_BAD_INPUT]: 'input',
  [PG.PIPE_OUT_OF_MEMORY]: 'memory',
};

export class PipelineProgramError extends Error {
  override name = 'PipelineProgramError';
  /** What failed: the program (malformed, another version), the input (malformed OTLP), or the memory budget. */
  readonly reason: PipelineProgramFailure;
  /** Bad input (program or request): the CLI exits 2; running out of memory is a runtime failure (1). */
  readonly exitCode: number;

  constructor(status: number, message: string) {
    super(message);
    this.reason = REASONS[status] ?? 'program';
    this.exitCode = this.reason === 'memory' ? 1 : 2;
  }
}
