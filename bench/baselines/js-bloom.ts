// A plain JavaScript bloom filter over hex-string trace ids (the way a JS pipeline keeps "seen"
// trace ids): k bit positions by double hashing two 32-bit string hashes, bits in a Uint32Array.

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function djb(s: string): number {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 33) ^ s.charCodeAt(i)) >>> 0;
  return h | 1;
}

export class JsBloom {
  private readonly bits: Uint32Array;
  private readonly m: number;
  private readonly k: number;

  constructor(expected: number, falsePositiveRate = 0.01) {
    this.m = Math.ceil((-expected * Math.log(falsePositiveRate)) / (Math.LN2 * Math.LN2));
    this.k = Math.max(1, Math.round((this.m / expected) * Math.LN2));
    this.bits = new Uint32Array(Math.ceil(this.m / 32));
  }

  add(key: string): void {
    const a = fnv(key);
    const b = djb(key);
    for (let i = 0; i < this.k; i++) {
      const bit = (a + Math.imul(i, b)) >>> 0;
      const at = bit % this.m;
      this.bits[at >>> 5]! |= 1 << (at & 31);
    }
  }

  has(key: string): boolean {
    const a = fnv(key);
    const b = djb(key);
    for (let i = 0; i < this.k; i++) {
      const at = ((a + Math.imul(i, b)) >>> 0) % this.m;
      if (!(this.bits[at >>> 5]! & (1 << (at & 31)))) return false;
    }
    return true;
  }
}
