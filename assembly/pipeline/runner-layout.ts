// The runner's own record (internal to assembly/pipeline/, never read by the facade): its index
// options and limits, its pipelines, processors and connectors, and its output buffers.
import * as PG from '../abi/pipeline-program-layout';
import { BB_SIZE } from './byte-buffer';

export const RN_OPTIONS = 0; // traceIndex options (L.O_SIZE bytes)
export const RN_MAX_BYTES = 32;
export const RN_PIPELINE_COUNT = 36;
export const RN_PIPELINES = 40; // PL_* rows copied from the program
export const RN_STAGE_COUNT = 44;
export const RN_STAGES = 48; // K_* rows
export const RN_CONNECTOR_COUNT = 52;
export const RN_CONNECTORS = 56; // K_* rows
export const RN_TRACES = 60; // byte buffer: output traces
export const RN_METRICS = RN_TRACES + BB_SIZE; // byte buffer: output metrics
export const RN_STACK = RN_METRICS + BB_SIZE; // byte buffer: the metrics writer's open fields
export const RN_OUTPUT = RN_STACK + BB_SIZE; // RO_* record
export const RN_HELD = RN_OUTPUT + PG.RO_SIZE; // byte buffer: (pointer, length) of each output request's bytes
export const RN_SIZE = RN_HELD + BB_SIZE;
