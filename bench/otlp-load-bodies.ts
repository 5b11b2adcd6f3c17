// Request bodies for load tests and the gateway benchmark: realistic requests from the corpus
// generator, made unique per send by XOR-ing a counter into every trace and span id (the same
// transform everywhere keeps parent links intact), so that "every acknowledged span arrives exactly
// once" can be checked by id at many thousand spans per second without generating each request
// from scratch. A minimal protobuf walker written here (not otel-sieve's decoder, which is what is
// under test) finds the ids, in templates and at a counting sink.
import { TraceCorpusGenerator } from './corpus.js';

interface Ids {
  /** Offsets of 16-byte trace ids (spans and links). */
  traceIds: number[];
  /** Offsets of 8-byte span ids (spans, parents and links). */
  spanIds: number[];
  /** Per span: offsets of its trace id and span id. */
  spans: [number, number][];
}

function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = b[at++]!;
    v += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [v, at];
    shift += 7;
  }
}

/** Calls `field(number, wireType, start, end)` for each field of the message in [start, end). */
function fields(b: Uint8Array, start: number, end: number, field: (n: number, wt: number, s: number, e: number) => void): void {
  let at = start;
  while (at < end) {
    const [tag, p] = varint(b, at);
    const n = Math.floor(tag / 8);
    const wt = tag & 7;
    if (wt === 0) {
      const [, q] = varint(b, p);
      field(n, wt, p, q);
      at = q;
    } else if (wt === 1) {
      field(n, wt, p, p + 8);
      at = p + 8;
    } else if (wt === 5) {
      field(n, wt, p, p + 4);
      at = p + 4;
    } else if (wt === 2) {
      const [len, q] = varint(b, p);
      field(n, wt, q, q + len);
      at = q + len;
    } else throw new Error(`unexpected wire type ${wt} at ${at}`);
  }
}

/** Where the ids of an ExportTraceServiceRequest are. */
export function findIds(b: Uint8Array): Ids {
  const ids: Ids = { traceIds: [], spanIds: [], spans: [] };
  fields(b, 0, b.length, (n, wt, s, e) => {
    if (n !== 1 || wt !== 2) return;
    fields(b, s, e, (n2, wt2, s2, e2) => {
      if (n2 !== 2 || wt2 !== 2) return;
      fields(b, s2, e2, (n3, wt3, s3, e3) => {
        if (n3 !== 2 || wt3 !== 2) return;
        let trace = -1;
        let span = -1;
        fields(b, s3, e3, (f, w, fs, fe) => {
          if (w !== 2) return;
          if (f === 1 && fe - fs === 16) ids.traceIds.push((trace = fs));
          else if (f === 2 && fe - fs === 8) ids.spanIds.push((span = fs));
          else if (f === 4 && fe - fs === 8) ids.spanIds.push(fs);
          else if (f === 13) {
            fields(b, fs, fe, (lf, lw, ls, le) => {
              if (lw === 2 && lf === 1 && le - ls === 16) ids.traceIds.push(ls);
              else if (lw === 2 && lf === 2 && le - ls === 8) ids.spanIds.push(ls);
            });
          }
        });
        ids.spans.push([trace, span]);
      });
    });
  });
  return ids;
}

const hex = (b: Uint8Array, at: number, n: number) => Buffer.from(b.subarray(at, at + n)).toString('hex');

/** `traceId/spanId` (hex) of every span in a request body. */
export function spanKeys(body: Uint8Array): string[] {
  return findIds(body).spans.map(([t, s]) => `${hex(body, t, 16)}/${hex(body, s, 8)}`);
}

function xor8(b: Uint8Array, at: number, counter: bigint): void {
  for (let i = 0; i < 8; i++) b[at + i]! ^= Number((counter >> BigInt(8 * i)) & 0xffn);
}

export class LoadBodies {
  private readonly templates: { bytes: Uint8Array; ids: Ids }[] = [];
  private counter = 0n;

  /** `count` templates of `spansPerRequest` spans from the corpus generator (seeded). */
  constructor(count: number, spansPerRequest: number, seed = 11) {
    const g = new TraceCorpusGenerator({ seed, spansPerRequest, baseTimeUnixNano: BigInt(Date.now()) * 1_000_000n });
    for (let i = 0; i < count; i++) {
      const bytes = g.nextRequest(false);
      this.templates.push({ bytes, ids: findIds(bytes) });
    }
  }

  /** The next unique body. */
  next(): Buffer {
    const c = ++this.counter;
    const t = this.templates[Number(c % BigInt(this.templates.length))]!;
    const out = Buffer.from(t.bytes);
    const salt = c * 0x9e3779b97f4a7c15n & 0xffff_ffff_ffff_ffffn;
    for (const at of t.ids.traceIds) xor8(out, at + 8, salt);
    for (const at of t.ids.spanIds) xor8(out, at, salt);
    return out;
  }
}
