// Adds an active data segment to a WebAssembly binary: the bytes land at a fixed address of
// memory 0 when the module is instantiated, after (and over) the module's own segments. Used to
// ship a Fluent Bit filter's program inside its .wasm. Only the Data and DataCount sections are
// rewritten; every other section is copied byte for byte.

function readU32(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new RangeError(`truncated LEB128 at byte ${at + i} of the module`);
    v += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [v, at + i + 1];
    shift += 7;
  }
  throw new RangeError(`LEB128 longer than 5 bytes at byte ${at} of the module`);
}

function u32(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

function i32(v: number): number[] {
  const out: number[] = [];
  let more = true;
  while (more) {
    let byte = v & 0x7f;
    v >>= 7;
    more = !((v === 0 && !(byte & 0x40)) || (v === -1 && (byte & 0x40)));
    if (more) byte |= 0x80;
    out.push(byte);
  }
  return out;
}

function section(id: number, content: Uint8Array): Uint8Array {
  return Uint8Array.from([id, ...u32(content.length), ...content]);
}

/** `wasm` with `bytes` written at `address` of memory 0 on instantiation. */
export function addDataSegment(wasm: Uint8Array, address: number, bytes: Uint8Array): Uint8Array {
  if (wasm[0] !== 0x00 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new TypeError('not a WebAssembly module (bad magic)');
  const segment = Uint8Array.from([0x00, 0x41, ...i32(address | 0), 0x0b, ...u32(bytes.length), ...bytes]);
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let at = 8;
  let sawData = false;
  let codeIndex = -1;
  while (at < wasm.length) {
    const id = wasm[at]!;
    const [size, contentAt] = readU32(wasm, at + 1);
    const end = contentAt + size;
    if (end > wasm.length) throw new RangeError(`section ${id} at byte ${at} runs past the end of the module`);
    const content = wasm.subarray(contentAt, end);
    if (id === 11) {
      // Data: one more segment.
      const [count, rest] = readU32(content, 0);
      parts.push(section(11, Uint8Array.from([...u32(count + 1), ...content.subarray(rest), ...segment])));
      sawData = true;
    } else if (id === 12) {
      const [count] = readU32(content, 0);
      parts.push(section(12, Uint8Array.from(u32(count + 1))));
    } else {
      if (id === 10) codeIndex = parts.length;
      parts.push(wasm.subarray(at, end));
    }
    at = end;
  }
  if (!sawData) {
    // No data section yet: it goes after the code section (section order is fixed).
    const data = section(11, Uint8Array.from([...u32(1), ...segment]));
    if (codeIndex < 0) parts.push(data);
    else parts.splice(codeIndex + 1, 0, data);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let w = 0;
  for (const p of parts) {
    out.set(p, w);
    w += p.length;
  }
  return out;
}
