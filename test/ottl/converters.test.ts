// Converter details beyond the semantics tables: Go's per-rune case mapping (unicode.ToUpper /
// ToLower, not JavaScript's full mapping), JSON text of nested values (sorted keys, Go float
// format), Substring's byte offsets and utf8_safe, and Int/Double parsing as strconv does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, ottl, TraceBatch } from 'otel-sieve';
import { encodeTraces, hex } from '../helpers/oracle.js';

let batch: TraceBatch;
const names = ['straße', 'İstanbul', 'ǅemal', 'ΣΑΣ', 'ﬃ', 'héllo'];

beforeAll(async () => {
  await init();
  batch = TraceBatch.fromProtobuf(
    encodeTraces({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: names.map((name, i) => ({
                traceId: hex('01'.repeat(16)),
                spanId: hex((i + 1).toString(16).padStart(16, '0')),
                name,
                attributes: [
                  {
                    key: 'nested',
                    value: {
                      kvlistValue: {
                        values: [
                          { key: 'z', value: { arrayValue: { values: [{ doubleValue: 1e-7 }, { boolValue: false }, {}] } } },
                          { key: 'a', value: { kvlistValue: { values: [{ key: 'q', value: { stringValue: 'x"<>&' } }] } } },
                          { key: 'b', value: { bytesValue: hex('ff00') } },
                        ],
                      },
                    },
                  },
                  { key: 'ints', value: { stringValue: ['42', '-7', '0x10', '1e3', ' 5', '+8'][i]! } },
                ],
              })),
            },
          ],
        },
      ],
    }),
  );
});

afterAll(() => batch.dispose());

function outcomes(condition: string): string {
  const r = ottl.evaluate(condition, batch, { context: 'span', errorMode: 'propagate', stopAtFirstError: false });
  return Array.from(r.results, (b) => (b === 2 ? 'E' : String(b))).join('');
}

describe('case mapping is per code point, as Go strings.ToUpper/ToLower', () => {
  const rows: [string, string][] = [
    // ß has no single-code-point upper case: it stays (JavaScript would give "SS")
    ['ToUpperCase(name) == "STRAßE"', '100000'],
    // İ lowers to plain i (JavaScript adds a combining dot)
    ['ToLowerCase(name) == "istanbul"', '010000'],
    // title-case digraphs map to their upper / lower forms
    ['ToUpperCase(name) == "ǄEMAL"', '001000'],
    ['ToLowerCase(name) == "ǆemal"', '001000'],
    // no final-sigma rule
    ['ToLowerCase(name) == "σασ"', '000100'],
    // ligatures without a single upper form stay
    ['ToUpperCase(name) == "ﬃ"', '000010'],
    ['ToUpperCase(name) == "HÉLLO"', '000001'],
  ];
  for (const [c, expected] of rows) it(`${c} → ${expected}`, () => expect(outcomes(c)).toBe(expected));
});

describe('JSON text of maps and lists', () => {
  it('sorts keys, escapes as encoding/json (HTML-safe), bytes as base64, floats in Go form', () => {
    expect(outcomes('String(attributes["nested"]) == "{\\"a\\":{\\"q\\":\\"x\\\\\\"\\\\u003c\\\\u003e\\\\u0026\\"},\\"b\\":\\"/wA=\\",\\"z\\":[1e-7,false,null]}"')).toBe('111111');
  });
  it('Concat uses the same text for nested values', () => {
    expect(outcomes('Concat([attributes["nested"]["a"], 1.5, true], ";") == "{\\"q\\":\\"x\\\\\\"\\\\u003c\\\\u003e\\\\u0026\\"};1.5;true"')).toBe('111111');
  });
});

describe('Substring counts bytes, or code points with utf8_safe', () => {
  it('cuts inside a code point by default', () => {
    // "straße": ß is 2 bytes at offset 4; "ﬃ" is only 3 bytes long
    expect(outcomes('Substring(name, 0, 5) == "stra\\xc3"')).toBe('1000E0');
  });
  it('utf8_safe counts code points, and fails past the last one', () => {
    // "ΣΑΣ" has 6 bytes but 3 code points
    expect(outcomes('Substring(name, 0, 5, utf8_safe = true) == "straß" or Substring(name, 0, 5, utf8_safe = true) == "ǅemal"')).toBe('101EE0');
    expect(outcomes('Substring(name, 1, 2, utf8_safe = true) == "él"')).toBe('0000E1');
  });
});

describe('Int and Double parse decimal text as strconv does', () => {
  it('Int: base 10 with an optional sign; anything else is nil', () => {
    expect(outcomes('Int(attributes["ints"]) == 42 or Int(attributes["ints"]) == -7 or Int(attributes["ints"]) == 8')).toBe('110001');
    expect(outcomes('Int(attributes["ints"]) == nil')).toBe('001110');
  });
  it('Double: ParseFloat accepts exponents; hex needs a p exponent and spaces are refused (nil)', () => {
    expect(outcomes('Double(attributes["ints"]) == 1000.0')).toBe('000100');
    expect(outcomes('Double(attributes["ints"]) == nil')).toBe('001010');
  });
});
