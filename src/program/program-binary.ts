// Writes a pipeline program in the binary format of assembly/abi/pipeline-program-layout.ts:
// header, pipeline / processor / connector / segment tables, relocation tables, names, then the
// segments' bytes (8-aligned). The checksum covers everything after the header.
import * as PG from '../../assembly/abi/pipeline-program-layout.js';
import * as L from '../../assembly/abi/trace-layout.js';
import type { ProgramSegment } from './recording-core.js';

/** A processor or connector: its kind (STAGE_* / CONNECTOR_*), flags (SF_*), id and blocks. */
export interface ProgramComponent {
  readonly kind: number;
  readonly flags: number;
  readonly name: string;
  readonly segments: readonly ProgramSegment[];
}

export interface ProgramPipeline {
  readonly name: string;
  readonly processors: readonly ProgramComponent[];
  /** Bit i: the pipeline exports to connector i. */
  readonly connectorMask: number;
  /** Whether it has a real exporter (its output reaches the caller). */
  readonly exports: boolean;
}

export interface ProgramLayout {
  readonly coreAbi: number;
  /** The traceIndex options block (O_* of trace-layout), as u32 values. */
  readonly limits: readonly number[];
  readonly maxBytes: number;
  readonly memoryLimit: number;
  readonly pipelines: readonly ProgramPipeline[];
  readonly connectors: readonly ProgramComponent[];
}

const utf8 = new TextEncoder();
const align8 = (n: number) => (n + 7) & ~7;

/** Encodes the program; `checksum` is the core's hash32 over the bytes after the header. */
export function encodeProgram(layout: ProgramLayout, checksum: (body: Uint8Array) => number): Uint8Array {
  if (layout.limits.length * 4 !== L.O_SIZE) throw new RangeError(`pipeline program: ${layout.limits.length} index limits, the core reads ${L.O_SIZE / 4}`);
  const stages = layout.pipelines.flatMap((p) => p.processors);
  const components = [...stages, ...layout.connectors];
  const segments = components.flatMap((c) => c.segments);
  const relocCount = segments.reduce((n, s) => n + s.relocs.length, 0);
  const names = [...layout.pipelines.map((p) => utf8.encode(p.name)), ...components.map((c) => utf8.encode(c.name))];

  let at = PG.PG_HEADER_SIZE;
  const pipelinesAt = at;
  at += layout.pipelines.length * PG.PL_ROW;
  const stagesAt = at;
  at += stages.length * PG.ST_ROW;
  const connectorsAt = at;
  at += layout.connectors.length * PG.ST_ROW;
  const segmentsAt = at;
  at += segments.length * PG.SG_ROW;
  const relocsAt = at;
  at += relocCount * PG.RL_ROW;
  const namesAt = at;
  at += names.reduce((n, b) => n + b.length, 0);
  const dataAt: number[] = [];
  for (const s of segments) {
    at = align8(at);
    dataAt.push(at);
    at += s.bytes.length;
  }
  const size = at;

  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const u32 = (p: number, v: number) => dv.setUint32(p, v >>> 0, true);
  u32(PG.PG_MAGIC, PG.PROGRAM_MAGIC);
  u32(PG.PG_FORMAT, PG.PROGRAM_FORMAT_VERSION);
  u32(PG.PG_CORE_ABI, layout.coreAbi);
  u32(PG.PG_SIZE, size);
  layout.limits.forEach((v, i) => u32(PG.PG_LIMITS + i * 4, v));
  u32(PG.PG_MAX_BYTES, layout.maxBytes);
  u32(PG.PG_MEMORY_LIMIT, layout.memoryLimit);
  u32(PG.PG_PIPELINE_COUNT, layout.pipelines.length);
  u32(PG.PG_PIPELINES, pipelinesAt);
  u32(PG.PG_STAGE_COUNT, stages.length);
  u32(PG.PG_STAGES, stagesAt);
  u32(PG.PG_CONNECTOR_COUNT, layout.connectors.length);
  u32(PG.PG_CONNECTORS, connectorsAt);
  u32(PG.PG_SEGMENT_COUNT, segments.length);
  u32(PG.PG_SEGMENTS, segmentsAt);

  let nameAt = namesAt;
  const putName = (row: number, offsetField: number, lengthField: number, bytes: Uint8Array) => {
    out.set(bytes, nameAt);
    u32(row + offsetField, nameAt);
    u32(row + lengthField, bytes.length);
    nameAt += bytes.length;
  };
  let nameIndex = 0;
  let stageIndex = 0;
  layout.pipelines.forEach((p, i) => {
    const row = pipelinesAt + i * PG.PL_ROW;
    u32(row + PG.PL_FIRST_STAGE, stageIndex);
    u32(row + PG.PL_STAGE_COUNT, p.processors.length);
    u32(row + PG.PL_CONNECTORS, p.connectorMask);
    u32(row + PG.PL_EXPORTS, p.exports ? 1 : 0);
    putName(row, PG.PL_NAME, PG.PL_NAME_LEN, names[nameIndex++]!);
    stageIndex += p.processors.length;
  });
  let segIndex = 0;
  let relocAt = relocsAt;
  components.forEach((c, i) => {
    const row = i < stages.length ? stagesAt + i * PG.ST_ROW : connectorsAt + (i - stages.length) * PG.ST_ROW;
    u32(row + PG.ST_KIND, c.kind);
    u32(row + PG.ST_FLAGS, c.flags);
    u32(row + PG.ST_FIRST_SEGMENT, segIndex);
    u32(row + PG.ST_SEGMENT_COUNT, c.segments.length);
    putName(row, PG.ST_NAME, PG.ST_NAME_LEN, names[nameIndex++]!);
    for (const s of c.segments) {
      const sg = segmentsAt + segIndex * PG.SG_ROW;
      u32(sg + PG.SG_OFFSET, dataAt[segIndex]!);
      u32(sg + PG.SG_SIZE, s.bytes.length);
      u32(sg + PG.SG_RELOCS, relocAt);
      u32(sg + PG.SG_RELOC_COUNT, s.relocs.length);
      for (const r of s.relocs) {
        u32(relocAt + PG.RL_AT, r.at);
        u32(relocAt + PG.RL_TARGET, r.target);
        relocAt += PG.RL_ROW;
      }
      out.set(s.bytes, dataAt[segIndex]!);
      segIndex++;
    }
  });
  u32(PG.PG_CHECKSUM, checksum(out.subarray(PG.PG_HEADER_SIZE)));
  return out;
}
