// The one error type the OTLP/JSON reader throws, for bad syntax and for JSON that does not fit the
// schema alike, so that callers (the CLI, the HTTP handler) need one `instanceof` to tell bad input
// (exit 2 / HTTP 400) from a bug.

/** Which rule the input broke; stable, meant for programs (the message is for people). */
export type OtlpJsonRule =
  // The input as a whole
  | 'input-too-large'
  | 'empty-input'
  // JSON syntax (RFC 8259)
  | 'unexpected-end'
  | 'unexpected-character'
  | 'invalid-number'
  | 'invalid-escape'
  | 'control-character'
  | 'invalid-unicode'
  | 'trailing-characters'
  | 'max-json-depth'
  // The OTLP schema and its JSON mapping
  | 'wrong-type'
  | 'unknown-field'
  | 'duplicate-field'
  | 'oneof-conflict'
  | 'id-length'
  | 'invalid-hex'
  | 'invalid-base64'
  | 'invalid-integer'
  | 'invalid-double'
  | 'out-of-range'
  | 'unknown-enum-name'
  | 'max-anyvalue-depth';

/** The text being read, as UTF-8 bytes, and whether the caller handed us a JS string. */
export interface JsonSource {
  readonly bytes: Uint8Array;
  /** A string input: offsets are reported in UTF-16 code units of that string. */
  readonly fromString: boolean;
}

export class OtlpJsonError extends Error {
  override readonly name = 'OtlpJsonError';
  /** 1-based line; lines end at LF, CR LF or a lone CR. */
  readonly line: number;
  /** 1-based column, counted in Unicode code points, so a string and its UTF-8 bytes agree. */
  readonly column: number;
  /** 0-based offset in the input's own units: UTF-16 code units for a string, bytes for a Uint8Array. */
  readonly offset: number;
  /** Where in the document, e.g. `resourceSpans[0].scopeSpans[1].spans[3].traceId`; keys as written. */
  readonly path: string;
  readonly rule: OtlpJsonRule;
  /** The message without its position prefix. */
  readonly reason: string;

  constructor(rule: OtlpJsonRule, reason: string, line: number, column: number, offset: number, path: string) {
    super(`line ${line}, column ${column}${path === '' ? '' : ` (${path})`}: ${reason}`);
    this.rule = rule;
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.path = path;
  }
}

/** Builds the error for a byte offset in `source`; the position is worked out only now, on failure. */
export function jsonError(
  source: JsonSource,
  byteOffset: number,
  rule: OtlpJsonRule,
  reason: string,
  path: string,
): OtlpJsonError {
  const s = source.bytes;
  const end = Math.min(Math.max(byteOffset, 0), s.length);
  let line = 1;
  let column = 1;
  let units = 0;
  for (let i = 0; i < end; i++) {
    const b = s[i];
    if (b === 0x0a || (b === 0x0d && s[i + 1] !== 0x0a)) {
      line++;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) {
      column++;
    }
    // UTF-16 length of the text so far: one unit per lead byte, two for a 4-byte sequence.
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  const offset = source.fromString ? units : end;
  return new OtlpJsonError(rule, reason, line, column, offset, path);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends an object key to a path, quoting keys that are not identifiers. */
export function pathWithKey(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

export function pathWithIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** How an unexpected byte is shown in a message: the character if printable, else its code. */
export function describeByte(s: Uint8Array, i: number): string {
  const b = s[i];
  if (b >= 0x21 && b <= 0x7e) return `'${String.fromCharCode(b)}'`;
  if (b < 0x80) return `U+${b.toString(16).toUpperCase().padStart(4, '0')}`;
  const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
  try {
    const c = fatalUtf8.decode(s.subarray(i, i + len));
    const cp = c.codePointAt(0) as number;
    if (c.length === (cp > 0xffff ? 2 : 1)) return `'${c}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
  } catch {
    // not a well-formed sequence: show the byte
  }
  return `byte 0x${b.toString(16).padStart(2, '0')}`;
}
