// Writing human-readable text (error messages) into a byte buffer without creating managed
// strings: static string literals are read code unit by code unit and encoded as UTF-8 on the
// way, numbers are printed digit by digit. A failed append (budget) only shortens the message.
import { bufByte, bufAppend } from './byte-buffer';

/** Appends a string literal as UTF-8 (code units of the BMP; our messages hold no surrogates). */
export function textAppend(b: usize, s: string): void {
  let n = s.length;
  for (let i = 0; i < n; i++) {
    let c = <u32>s.charCodeAt(i);
    if (c < 0x80) {
      bufByte(b, <u8>c);
    } else if (c < 0x800) {
      bufByte(b, <u8>(0xc0 | (c >> 6)));
      bufByte(b, <u8>(0x80 | (c & 0x3f)));
    } else {
      bufByte(b, <u8>(0xe0 | (c >> 12)));
      bufByte(b, <u8>(0x80 | ((c >> 6) & 0x3f)));
      bufByte(b, <u8>(0x80 | (c & 0x3f)));
    }
  }
}

/** Appends UTF-8 bytes as they are (names from the program, already UTF-8). */
export function textAppendBytes(b: usize, p: usize, n: usize): void {
  bufAppend(b, p, n);
}

/** Appends an unsigned decimal number. */
export function textAppendU64(b: usize, v: u64): void {
  let digits = memory.data(24);
  let n: usize = 0;
  do {
    store<u8>(digits + n++, <u8>(48 + <u32>(v % 10)));
    v /= 10;
  } while (v > 0);
  while (n > 0) bufByte(b, load<u8>(digits + --n));
}
