// A compiled RE2 pattern that matches in the core, for callers outside the query VM (processors'
// regex options, tests). The program is copied into core memory on first use and again if the
// instance was replaced after a trap. Positions are byte offsets into the subject's UTF-8, as Go
// reports them; each method is one core call.
import { getCore } from '../core/init.js';
import type { Core } from '../core/core.js';
import { compileRegex } from './compile.js';
import type { CompiledRegex, RegexOptions } from './compile.js';

const enc = new TextEncoder();

export class Regex {
  private core: Core | null = null;
  private generation = -1;
  private ptr = 0;

  private constructor(readonly compiled: CompiledRegex) {}

  /** Compiles `pattern` (RE2 syntax); throws RegexSyntaxError. Anchored (whole-subject) by default. */
  static compile(pattern: string | Uint8Array, options: RegexOptions = {}): Regex {
    return new Regex(compileRegex(pattern, options));
  }

  private load(): number {
    const core = getCore();
    if (this.ptr && this.core === core && this.generation === core.generation) return this.ptr;
    const bytes = this.compiled.program;
    const ptr = core.call('alloc', (ex) => ex.alloc(bytes.length) >>> 0);
    if (!ptr) throw new RangeError(`regex program of ${bytes.length} bytes does not fit in the core's memory budget`);
    core.u8.set(bytes, ptr);
    if (!core.exports.regexCheck(ptr, bytes.length)) {
      core.free(ptr);
      throw new Error('regex program failed the core\'s consistency check (a compiler bug)');
    }
    this.core = core;
    this.generation = core.generation;
    this.ptr = ptr;
    return ptr;
  }

  /** Names of the capturing groups in order ('' for an unnamed group); group i is names[i - 1]. */
  get groupNames(): readonly string[] {
    return this.compiled.groupNames;
  }

  /** Whether `subject` matches (UTF-8 bytes or text). */
  test(subject: string | Uint8Array): boolean {
    const prog = this.load();
    const core = this.core!;
    const { at, len } = this.place(subject, 0);
    return outcome(core.call('regexRun', (ex) => ex.regexRun(prog, at, len))) === 1;
  }

  /** Go's FindIndex: [start, end) of the leftmost-first match, or null. */
  findIndex(subject: string | Uint8Array): [number, number] | null {
    const m = this.find(subject, 2);
    return m ? [m[0]!, m[1]!] : null;
  }

  /**
   * Go's FindSubmatchIndex: start and end of the match, then of each group (-1 for a group that
   * took no part), or null without a match. Needs a program compiled with `captures: true`.
   */
  findSubmatchIndex(subject: string | Uint8Array): number[] | null {
    if (!this.compiled.captures) throw new Error(`regex ${JSON.stringify(this.compiled.pattern)} was compiled without captures: pass { captures: true }`);
    return this.find(subject, 2 * (1 + this.compiled.groupNames.length));
  }

  /** Go's FindAllIndex: the successive non-overlapping matches, at most `limit` (negative: all). */
  findAllIndex(subject: string | Uint8Array, limit = -1): [number, number][] {
    const prog = this.load();
    const core = this.core!;
    const bytes = typeof subject === 'string' ? enc.encode(subject) : subject;
    // There are at most len + 1 matches (one per position, empty ones included).
    const max = limit < 0 ? bytes.length + 1 : Math.min(limit, bytes.length + 1);
    const { at, len, out } = this.place(bytes, max * 8);
    const n = outcome(core.call('regexFindAll', (ex) => ex.regexFindAll(prog, at, len, out, max)));
    const pairs = new Int32Array(core.u8.buffer, out, n * 2);
    const result: [number, number][] = [];
    for (let i = 0; i < n; i++) result.push([pairs[2 * i]!, pairs[2 * i + 1]!]);
    return result;
  }

  private find(subject: string | Uint8Array, slots: number): number[] | null {
    const prog = this.load();
    const core = this.core!;
    const { at, len, out } = this.place(subject, slots * 4);
    if (outcome(core.call('regexFind', (ex) => ex.regexFind(prog, at, len, 0, out, slots))) === 0) return null;
    return Array.from(new Int32Array(core.u8.buffer, out, slots));
  }

  /** Copies the subject into the core's scratch block, followed (4-aligned) by `extra` bytes for results. */
  private place(subject: string | Uint8Array, extra: number): { at: number; len: number; out: number } {
    const core = this.core!;
    const bytes = typeof subject === 'string' ? enc.encode(subject) : subject;
    const outOff = (bytes.length + 3) & ~3;
    const at = core.scratch(outOff + extra);
    if (!at && outOff + extra) throw new RangeError('subject does not fit in the core\'s memory budget');
    core.u8.set(bytes, at);
    return { at, len: bytes.length, out: at + outOff };
  }

  /** Frees the program's core memory. */
  dispose(): void {
    if (this.ptr && this.core && this.core.generation === this.generation) this.core.free(this.ptr);
    this.ptr = 0;
  }
}

/** A matcher's result, or the error for its only failure: scratch memory beyond the budget. */
function outcome(r: number): number {
  if (r < 0) throw new RangeError('regex scratch memory does not fit in the core\'s memory budget');
  return r;
}
