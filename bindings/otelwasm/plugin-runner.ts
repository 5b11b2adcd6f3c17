// The one pipeline a collector plug-in instance runs: loaded from plugin_config, kept for the
// instance's life (the collector serialises calls into one instance).
import * as PG from '../../assembly/abi/pipeline-program-layout';
import { free, setMemoryLimit } from '../../assembly/mem/alloc';
import { pipelineLoad, pipelineFree } from '../../assembly/pipeline/runner';
import { errorStatus } from '../../assembly/pipeline/run-error';
import { pluginProgram, programLength } from './plugin-config';

export let runner: usize = 0;
/** The program's input limit (PG_MAX_BYTES) while one is loaded. */
export let inputLimit: usize = 0;

/** Loads the program plugin_config carries (JSON at [json, json + n)); PIPE_OK or the failure. */
export function loadPlugin(json: usize, n: usize): u32 {
  unloadPlugin();
  let program = pluginProgram(json, n);
  if (!program) return errorStatus();
  if (programLength >= <usize>PG.PG_HEADER_SIZE && load<u32>(program + PG.PG_MAGIC) == PG.PROGRAM_MAGIC) {
    let limit = load<u32>(program + PG.PG_MEMORY_LIMIT);
    if (limit) setMemoryLimit(<usize>limit);
  }
  runner = pipelineLoad(program, programLength);
  if (runner) inputLimit = <usize>load<u32>(program + PG.PG_MAX_BYTES);
  free(program);
  return runner ? PG.PIPE_OK : errorStatus();
}

export function unloadPlugin(): void {
  pipelineFree(runner);
  runner = 0;
}
