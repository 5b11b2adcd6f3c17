// A small protobuf writer for the TypeScript side (JSON → protobuf, test/bench payloads).
// The hot path writes protobuf inside the core; this writer serves the cold paths, so it favours
// simplicity: one growable buffer, length prefixes back-patched by shifting the content when the
// final length needs more than the single byte reserved for it.

const textEncoder = new TextEncoder();

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** Positions of the single byte reserved for each open length-delimited field. */
  private readonly open: number[] = [];

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  tag(field: number, wireType: number): this {
    return this.uint32(((field << 3) | wireType) >>> 0);
  }

  uint32(value: number): this {
    this.ensure(5);
    let v = value >>> 0;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** int32 on the wire: negative values are sign-extended to 10 bytes like every protobuf encoder. */
  int32(value: number): this {
    if (value >= 0) return this.uint32(value);
    return this.uint64(BigInt.asUintN(64, BigInt(value | 0)));
  }

  uint64(value: bigint): this {
    this.ensure(10);
    let v = BigInt.asUintN(64, value);
    if (v < 0x80000000n) return this.uint32(Number(v));
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  int64(value: bigint): this {
    return this.uint64(BigInt.asUintN(64, value));
  }

  bool(value: boolean): this {
    return this.uint32(value ? 1 : 0);
  }

  fixed32(value: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
    return this;
  }

  fixed64(value: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
    return this;
  }

  double(value: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  string(value: string): this {
    // Worst case 3 bytes per UTF-16 unit; encodeInto avoids a temporary array.
    const max = value.length * 3;
    if (max < 128) {
      this.ensure(1 + max);
      const lenPos = this.pos++;
      const { written } = textEncoder.encodeInto(value, this.buf.subarray(this.pos));
      this.buf[lenPos] = written;
      this.pos += written;
      return this;
    }
    return this.bytes(textEncoder.encode(value));
  }

  /** Raw bytes, no length prefix. */
  raw(value: Uint8Array): this {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Opens a length-delimited field; close it with {@link ldelim}. */
  fork(field: number): this {
    this.tag(field, WIRE_LEN);
    this.ensure(1);
    this.open.push(this.pos++);
    return this;
  }

  ldelim(): this {
    const at = this.open.pop();
    if (at === undefined) throw new Error('ProtoWriter.ldelim() without a matching fork()');
    const len = this.pos - at - 1;
    let extra = 0;
    for (let v = len >>> 7; v > 0; v >>>= 7) extra++;
    if (extra > 0) {
      this.ensure(extra);
      this.buf.copyWithin(at + 1 + extra, at + 1, this.pos);
      this.pos += extra;
    }
    let p = at;
    let v = len;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
    return this;
  }

  finish(): Uint8Array {
    if (this.open.length) throw new Error(`ProtoWriter.finish() with ${this.open.length} unclosed field(s)`);
    return this.buf.slice(0, this.pos);
  }
}
