// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Read by the exporters, written
// by the handler (whole seconds, as the collector does).

/**
 * The wait a Retry-After value asks for, in milliseconds, or undefined when absent or unreadable
 * (`abc`, `-1`, an empty value). A past date or `0` gives 0: the caller's own backoff then
 * decides, so a hostile server cannot make it retry in a tight loop.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : Number.MAX_SAFE_INTEGER;
  }
  // Date.parse reads IMF-fixdate and the obsolete RFC 850/asctime forms; a bare number was handled above.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** A Retry-After header value: whole seconds, at least 1. */
export function formatRetryAfter(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}
