// Options of the bench corpus (bench/corpus.ts: the generator and its entry points).

// ---------------------------------------------------------------------------------------------------
// Options

/** Options for the corpus generator; every field is optional, see {@link corpusDefaults}. */
export interface CorpusOptions {
  /** PRNG seed (any 32-bit integer). The same seed and options always produce identical bytes. */
  seed?: number;
  /** Number of `ExportTraceServiceRequest` messages to produce. */
  requests?: number;
  /** Spans in every request (exact). A trace that does not fit is cut short or split across requests. */
  spansPerRequest?: number;
  /**
   * Number of services taking part, 1 or more. The first ten form the shop (frontend, checkout, cart,
   * product-catalog, payment, shipping, currency, recommendation, email, accounting); further ones are
   * fraud-detection, ad, then generic leaf services. Calls to services beyond this count are not made.
   */
  services?: number;
  /** Share of traces (0–1) in which some span fails, with ERROR status and an exception event. */
  errorRate?: number;
  /** Share of spans (0–1) carrying span links to spans of earlier traces. */
  linkRate?: number;
  /**
   * Probability (0–1) that a trace reaching the end of a full request is split across it and the next
   * request, the way a batch processor cuts by count. Otherwise the request is topped up with a trace
   * generated small enough to fit. The last request of {@link generateTraceRequests} never splits.
   */
  splitRate?: number;
  /** Largest trace, in spans; bigger call trees are cut short. Keep it at most `spansPerRequest`. */
  maxSpansPerTrace?: number;
  /** Time of the first trace, nanoseconds since the Unix epoch. */
  baseTimeUnixNano?: bigint;
}

/** Resolved options: every field of {@link CorpusOptions} present. */
export type ResolvedCorpusOptions = { readonly [K in keyof CorpusOptions]-?: NonNullable<CorpusOptions[K]> };

/** Defaults for {@link CorpusOptions}. */
export const corpusDefaults: ResolvedCorpusOptions = Object.freeze({
  seed: 1,
  requests: 10,
  spansPerRequest: 512,
  services: 10,
  errorRate: 0.05,
  linkRate: 0.03,
  splitRate: 0.5,
  maxSpansPerTrace: 256,
  // 2024-06-01T00:00:00Z: a fixed instant keeps the bytes reproducible.
  baseTimeUnixNano: 1_717_200_000_000_000_000n,
});

export function resolveOptions(opts: CorpusOptions = {}): ResolvedCorpusOptions {
  const r = { ...corpusDefaults } as { -readonly [K in keyof ResolvedCorpusOptions]: ResolvedCorpusOptions[K] };
  for (const key of Object.keys(opts) as (keyof CorpusOptions)[]) {
    const value = opts[key];
    if (value !== undefined) (r as Record<string, unknown>)[key] = value;
  }
  const checkInt = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`corpus option ${name} must be an integer >= ${min}, got ${v}`);
  };
  const checkShare = (name: string, v: number) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`corpus option ${name} must be between 0 and 1, got ${v}`);
  };
  checkInt('requests', r.requests, 0);
  checkInt('spansPerRequest', r.spansPerRequest, 1);
  checkInt('services', r.services, 1);
  checkInt('maxSpansPerTrace', r.maxSpansPerTrace, 1);
  checkShare('errorRate', r.errorRate);
  checkShare('linkRate', r.linkRate);
  checkShare('splitRate', r.splitRate);
  if (!Number.isInteger(r.seed)) throw new RangeError(`corpus option seed must be an integer, got ${r.seed}`);
  return Object.freeze(r);
}
