// Builds the strict OTLP/JSON we expect from toJSON() out of the oracle's decoded object —
// written independently of src/otlp/trace-json.ts so the two can disagree.
import { readFlags, toHex } from './oracle.js';
import { decodeTraces } from './oracle.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type J = Record<string, any>;

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const nz = (v: any) => (v === undefined || v === null || v === 0 || v === '0' || v === '' || (v instanceof Uint8Array && v.length === 0) ? undefined : v);

function clean(o: J): J {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function expectedAnyValue(v: J | undefined | null): J {
  if (!v) return {};
  if ('stringValue' in v && v.stringValue !== undefined) return { stringValue: v.stringValue };
  if ('boolValue' in v && v.boolValue !== undefined) return { boolValue: v.boolValue };
  if ('intValue' in v && v.intValue !== undefined) return { intValue: String(v.intValue) };
  if ('doubleValue' in v && v.doubleValue !== undefined) {
    const d = v.doubleValue as number;
    return { doubleValue: Number.isNaN(d) ? 'NaN' : d === Infinity ? 'Infinity' : d === -Infinity ? '-Infinity' : Object.is(d, -0) ? '-0' : d };
  }
  if ('bytesValue' in v && v.bytesValue !== undefined) return { bytesValue: b64(v.bytesValue) };
  if ('arrayValue' in v && v.arrayValue) {
    const values = (v.arrayValue.values ?? []).map(expectedAnyValue);
    return { arrayValue: values.length ? { values } : {} };
  }
  if ('kvlistValue' in v && v.kvlistValue) {
    const values = (v.kvlistValue.values ?? []).map(expectedKeyValue);
    return { kvlistValue: values.length ? { values } : {} };
  }
  return {};
}

export function expectedKeyValue(kv: J): J {
  return { key: kv.key ?? '', value: expectedAnyValue(kv.value) };
}

const attrs = (list: J[] | undefined) => (list && list.length ? list.map(expectedKeyValue) : undefined);

/** The toJSON() we expect for `bytes`, derived from the oracle plus flags read from the bytes. */
export function expectedJson(bytes: Uint8Array): J {
  const req = decodeTraces(bytes);
  const flags = readFlags(bytes);
  let spanIndex = 0;
  const resourceSpans = (req.resourceSpans ?? []).map((rs: J) => {
    const scopeSpans = (rs.scopeSpans ?? []).map((ss: J) => {
      const spans = (ss.spans ?? []).map((s: J) => {
        const f = flags[spanIndex++]!;
        const links = (s.links ?? []).map((l: J, i: number) => clean({
          traceId: nz(toHex(l.traceId)),
          spanId: nz(toHex(l.spanId)),
          traceState: nz(l.traceState),
          attributes: attrs(l.attributes),
          droppedAttributesCount: nz(l.droppedAttributesCount),
          flags: nz(f.links[i]),
        }));
        const events = (s.events ?? []).map((e: J) => clean({
          timeUnixNano: nz(e.timeUnixNano),
          name: nz(e.name),
          attributes: attrs(e.attributes),
          droppedAttributesCount: nz(e.droppedAttributesCount),
        }));
        return clean({
          traceId: nz(toHex(s.traceId)),
          spanId: nz(toHex(s.spanId)),
          traceState: nz(s.traceState),
          parentSpanId: /[^0]/.test(toHex(s.parentSpanId)) ? toHex(s.parentSpanId) : undefined,
          flags: nz(f.flags),
          name: nz(s.name),
          kind: nz(s.kind),
          startTimeUnixNano: nz(s.startTimeUnixNano),
          endTimeUnixNano: nz(s.endTimeUnixNano),
          attributes: attrs(s.attributes),
          droppedAttributesCount: nz(s.droppedAttributesCount),
          events: events.length ? events : undefined,
          droppedEventsCount: nz(s.droppedEventsCount),
          links: links.length ? links : undefined,
          droppedLinksCount: nz(s.droppedLinksCount),
          status: clean({ message: nz(s.status?.message), code: nz(s.status?.code) }),
        });
      });
      return clean({
        scope: clean({
          name: nz(ss.scope?.name),
          version: nz(ss.scope?.version),
          attributes: attrs(ss.scope?.attributes),
          droppedAttributesCount: nz(ss.scope?.droppedAttributesCount),
        }),
        spans: spans.length ? spans : undefined,
        schemaUrl: nz(ss.schemaUrl),
      });
    });
    return clean({
      resource: clean({ attributes: attrs(rs.resource?.attributes), droppedAttributesCount: nz(rs.resource?.droppedAttributesCount) }),
      scopeSpans: scopeSpans.length ? scopeSpans : undefined,
      schemaUrl: nz(rs.schemaUrl),
    });
  });
  return resourceSpans.length ? { resourceSpans } : {};
}
