// Exactness of the scalar decoders: integers never pass through a double, doubles round correctly.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeBase64,
  DoubleResult,
  fitInteger,
  IntegerParts,
  parseDouble,
  parseInteger,
  PARSE_FRACTION,
  PARSE_OK,
  PARSE_RANGE,
  PARSE_SYNTAX,
} from '../../src/otlp/json/json-scalars.js';

const bytes = (s: string) => new TextEncoder().encode(s);

/** The integer a text means for a type, or the parse status / 'range' when it does not fit. */
function integer(text: string, signed: boolean, bits: 32 | 64, inString = true): bigint | number | 'range' {
  const out = new IntegerParts();
  const b = bytes(text);
  const status = parseInteger(b, 0, b.length, inString, out);
  if (status === PARSE_RANGE) return 'range';
  if (status !== PARSE_OK) return status;
  if (!fitInteger(out, signed, bits)) return 'range';
  const u = (BigInt(out.hi) << 32n) | BigInt(out.lo);
  return signed ? BigInt.asIntN(64, u) : u;
}

describe('parseInteger + fitInteger', () => {
  test.each([
    ['0', 0n], ['-0', 0n], ['4294967295', 4294967295n], ['4294967296', 4294967296n], ['9007199254740993', 9007199254740993n],
    ['999999999999999', 999999999999999n], ['1000000000000000', 1000000000000000n], ['18446744073709551615', 18446744073709551615n],
    ['00018446744073709551615', 18446744073709551615n], ['+7', 7n], ['1e3', 1000n], ['1.0', 1n], ['1.50e1', 15n], ['100e-2', 1n],
    ['0.0e5', 0n], ['1.8446744073709551615e19', 18446744073709551615n],
  ])('uint64 %s', (text, value) => {
    expect(integer(text, false, 64)).toBe(value);
  });

  test.each([
    ['18446744073709551616', 'range'], ['99999999999999999999', 'range'], ['100000000000000000000', 'range'], ['1e20', 'range'],
    ['1e1000000000', 'range'], ['-1', 'range'], ['1.5', PARSE_FRACTION], ['1e-1', PARSE_FRACTION], ['1e-1000000', PARSE_FRACTION],
    ['', PARSE_SYNTAX], ['-', PARSE_SYNTAX], ['1.', PARSE_SYNTAX], ['.5', PARSE_SYNTAX], ['0x10', PARSE_SYNTAX], [' 1', PARSE_SYNTAX],
    ['1 ', PARSE_SYNTAX], ['1e', PARSE_SYNTAX], ['NaN', PARSE_SYNTAX], ['١', PARSE_SYNTAX],
  ])('uint64 %s → %s', (text, result) => {
    expect(integer(text, false, 64)).toBe(result);
  });

  test.each([
    ['9223372036854775807', 64, 9223372036854775807n], ['-9223372036854775808', 64, -9223372036854775808n],
    ['9223372036854775808', 64, 'range'], ['-9223372036854775809', 64, 'range'], ['2147483647', 32, 2147483647n],
    ['-2147483648', 32, -2147483648n], ['2147483648', 32, 'range'], ['-2147483649', 32, 'range'],
  ] as const)('signed %s in %i bits', (text, bits, value) => {
    expect(integer(text, true, bits)).toBe(value);
  });

  test('leading + and zeros only inside strings', () => {
    expect(integer('+1', false, 64, false)).toBe(PARSE_SYNTAX);
    expect(integer('01', false, 64, false)).toBe(PARSE_SYNTAX);
  });

  test('every 64-bit value round-trips exactly', () => {
    fc.assert(
      fc.property(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), (v) => integer(v.toString(), true, 64) === v),
      { seed: 7, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.bigInt(0n, 2n ** 64n - 1n), (v) => integer(v.toString(), false, 64) === v),
      { seed: 8, numRuns: 2000 },
    );
  });
});

describe('parseDouble', () => {
  const double = (text: string, inString = true) => {
    const out = new DoubleResult();
    const b = bytes(text);
    const status = parseDouble(b, 0, b.length, inString, out);
    return status === PARSE_OK ? out.value : status;
  };

  test('agrees with Number() on every double, bit for bit', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => Object.is(double(Object.is(d, -0) ? '-0' : String(d), false), d)),
      { seed: 9, numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.nat(99)), ([i, f]) => {
        const text = `${i}.${String(f).padStart(2, '0')}`;
        return Object.is(double(text, false), Number(text));
      }),
      { seed: 10, numRuns: 2000 },
    );
  });

  test.each([
    ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['-0', -0], ['1e308', 1e308], ['1e-400', 0],
    ['4.9e-324', 5e-324], ['+2', 2], ['007.5', 7.5], ['0.1', 0.1], ['123456789012345.6', 123456789012345.6],
  ])('%s', (text, value) => {
    expect(double(text)).toBe(value);
  });

  test.each([['1e400', PARSE_RANGE], ['-1e309', PARSE_RANGE], ['nan', PARSE_SYNTAX], ['inf', PARSE_SYNTAX], ['1.', PARSE_SYNTAX], ['', PARSE_SYNTAX], ['0x1', PARSE_SYNTAX]])(
    '%s → %i',
    (text, status) => {
      expect(double(text)).toBe(status);
    },
  );
});

describe('decodeBase64', () => {
  const decode = (text: string) => {
    const out = new Uint8Array(64);
    const b = bytes(text);
    const n = decodeBase64(b, 0, b.length, out);
    return n < 0 ? n : Buffer.from(out.subarray(0, n)).toString('hex');
  };
  test('both alphabets, with and without padding, agree with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.constantFrom('base64', 'base64url'), fc.boolean(), (b, alphabet, pad) => {
        let text = Buffer.from(b).toString(alphabet as BufferEncoding).replace(/=+$/, '');
        if (pad) text = text.padEnd(Math.ceil(text.length / 4) * 4, '=');
        return decode(text) === Buffer.from(b).toString('hex');
      }),
      { seed: 11, numRuns: 1000 },
    );
  });
  test.each([['A', -2], ['AAA=A', -4], ['AA=', -4], ['AA===', -3], ['AA!A', -3], ['AAAAA===', -6]])('%s is refused (%i)', (text, code) => {
    expect(decode(text)).toBe(code);
  });
});
