// A ReadableSpan built from a span of a batch, for spans the pipeline edited (redacted attributes,
// a changed resource) or released after the original object was forgotten. It holds plain data
// read once from the view, so it outlives the batch. What the SDK's model cannot say is mapped
// as the SDK's serializer would read it back: int64 beyond 2^53 becomes the nearest number, a
// double with an integral value becomes an integer, a kvlist becomes a plain object.
import type { AnyValue, KeyValue, ResourceView, ScopeView, SpanView } from '../otlp/trace-views.js';
import type { Attributes, HrTime, InstrumentationScope, Link, ReadableSpan, Resource, SpanContext, SpanStatus, TimedEvent, TraceState } from './sdk-types.js';

const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;

/** A JS value for an AnyValue, as the SDK models it. */
export function jsValue(v: AnyValue): unknown {
  switch (v.type) {
    case 'empty':
      return undefined;
    case 'int':
      return Number(v.value);
    case 'array':
      return v.value.map(jsValue);
    case 'kvlist': {
      // A null-prototype object: keys like __proto__ come from untrusted input.
      const o: Record<string, unknown> = Object.create(null);
      for (const kv of v.value) o[kv.key] = jsValue(kv.value);
      return o;
    }
    default:
      return v.value;
  }
}

export function attributesOf(list: readonly KeyValue[]): Attributes {
  const out: Attributes = Object.create(null);
  for (const kv of list) out[kv.key] = jsValue(kv.value);
  return out;
}

function hr(nanos: bigint): HrTime {
  const n = nanos < 0n ? 0n : nanos;
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}

/** An immutable W3C tracestate (`k1=v1,k2=v2`), the behaviour of the SDK's TraceState. */
export class W3CTraceState implements TraceState {
  private readonly entries: ReadonlyArray<readonly [string, string]>;
  constructor(raw: string | ReadonlyArray<readonly [string, string]> = '') {
    this.entries = typeof raw === 'string'
      ? raw.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
        const eq = p.indexOf('=');
        return [eq < 0 ? p : p.slice(0, eq), eq < 0 ? '' : p.slice(eq + 1)] as const;
      })
      : raw;
  }
  get(key: string): string | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }
  set(key: string, value: string): TraceState {
    return new W3CTraceState([[key, value], ...this.entries.filter(([k]) => k !== key)]);
  }
  unset(key: string): TraceState {
    return new W3CTraceState(this.entries.filter(([k]) => k !== key));
  }
  serialize(): string {
    return this.entries.map(([k, v]) => `${k}=${v}`).join(',');
  }
}

/** A Resource holding attributes read from a batch; merge() follows the SDK (the other side wins). */
export class PlainResource implements Resource {
  readonly asyncAttributesPending = false;
  constructor(readonly attributes: Attributes, readonly schemaUrl?: string) {}
  waitForAsyncAttributes(): Promise<void> {
    return Promise.resolve();
  }
  merge(other: Resource | null): Resource {
    if (!other) return this;
    const merged: Attributes = Object.assign(Object.create(null), this.attributes, other.attributes);
    return new PlainResource(merged, other.schemaUrl || this.schemaUrl);
  }
  getRawAttributes(): [string, unknown][] {
    return Object.entries(this.attributes);
  }
}

export function resourceFromView(r: ResourceView): Resource {
  return new PlainResource(attributesOf(r.attributes), r.schemaUrl || undefined);
}

export function scopeFromView(s: ScopeView): InstrumentationScope {
  const attrs = s.attributes;
  return {
    name: s.name,
    ...(s.version ? { version: s.version } : {}),
    ...(s.schemaUrl ? { schemaUrl: s.schemaUrl } : {}),
    ...(attrs.length ? { attributes: attributesOf(attrs) } : {}),
    ...(s.droppedAttributesCount ? { droppedAttributesCount: s.droppedAttributesCount } : {}),
  };
}

/** Plain-data ReadableSpan; `resource` and `instrumentationScope` are passed in so that spans sharing one share the object (the SDK groups by identity). */
export function readableSpanFromView(v: SpanView, resource: Resource, instrumentationScope: InstrumentationScope): ReadableSpan {
  const flags = v.flags;
  const traceState = v.traceState;
  const context: SpanContext = {
    traceId: v.traceId,
    spanId: v.spanId,
    traceFlags: flags & 0xff,
    isRemote: false,
    ...(traceState ? { traceState: new W3CTraceState(traceState) } : {}),
  };
  const parentId = v.parentSpanId;
  const parentSpanContext: SpanContext | undefined = parentId
    ? { traceId: v.traceId, spanId: parentId, traceFlags: flags & 0xff, isRemote: (flags & FLAGS_HAS_IS_REMOTE) !== 0 && (flags & FLAGS_IS_REMOTE) !== 0 }
    : undefined;
  const start = v.startTimeUnixNano;
  const end = v.endTimeUnixNano;
  const st = v.status;
  const status: SpanStatus = st.message ? { code: st.code, message: st.message } : { code: st.code };
  const events: TimedEvent[] = v.events.map((e) => ({
    time: hr(e.timeUnixNano),
    name: e.name,
    attributes: attributesOf(e.attributes),
    droppedAttributesCount: e.droppedAttributesCount,
  }));
  const links: Link[] = v.links.map((l) => {
    const lf = l.flags;
    const lts = l.traceState;
    return {
      context: {
        traceId: l.traceId,
        spanId: l.spanId,
        traceFlags: lf & 0xff,
        isRemote: (lf & FLAGS_HAS_IS_REMOTE) !== 0 && (lf & FLAGS_IS_REMOTE) !== 0,
        ...(lts ? { traceState: new W3CTraceState(lts) } : {}),
      },
      attributes: attributesOf(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
    };
  });
  return {
    name: v.name,
    kind: Math.max(0, v.kind - 1),
    spanContext: () => context,
    ...(parentSpanContext ? { parentSpanContext } : {}),
    startTime: hr(start),
    endTime: hr(end),
    duration: hr(end - start),
    status,
    attributes: attributesOf(v.attributes),
    links,
    events,
    ended: true,
    resource,
    instrumentationScope,
    droppedAttributesCount: v.droppedAttributesCount,
    droppedEventsCount: v.droppedEventsCount,
    droppedLinksCount: v.droppedLinksCount,
  };
}
