// A compiled RE2 pattern that matches in the core, for callers outside the query VM (processors'
// regex options, tests). The program is copied into core memory on first use and again if the
// instance was replaced after a trap.
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

  /** Whether `subject` matches (UTF-8 bytes or text). */
  test(subject: string | Uint8Array): boolean {
    const prog = this.load();
    const core = this.core!;
    const bytes = typeof subject === 'string' ? enc.encode(subject) : subject;
    const at = core.scratch(bytes.length);
    if (!at && bytes.length) throw new RangeError('subject does not fit in the core\'s memory budget');
    core.u8.set(bytes, at);
    const r = core.call('regexRun', (ex) => ex.regexRun(prog, at, bytes.length));
    if (r < 0) throw new RangeError('regex scratch memory does not fit in the core\'s memory budget');
    return r === 1;
  }

  /** Frees the program's core memory. */
  dispose(): void {
    if (this.ptr && this.core && this.core.generation === this.generation) this.core.free(this.ptr);
    this.ptr = 0;
  }
}
