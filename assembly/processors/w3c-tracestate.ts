// W3C tracestate reading without allocating: validates the whole header the way the Go
// OpenTelemetry SDK's ParseTraceState does (list members separated by commas, optional whitespace,
// empty members skipped, keys and values by the W3C grammar, no duplicate keys, at most 32
// members) and finds one key's value. An invalid header has no values at all.

// @ts-ignore: decorator
@inline function isLcAlpha(c: u32): bool {
  return c >= 0x61 && c <= 0x7a;
}

// @ts-ignore: decorator
@inline function isKeyChar(c: u32): bool {
  return isLcAlpha(c) || (c >= 0x30 && c <= 0x39) || c == 0x5f || c == 0x2d || c == 0x2a || c == 0x2f;
}

function validKey(p: usize, n: usize): bool {
  if (n == 0 || n > 256) return false;
  let at: isize = -1;
  for (let i: usize = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c == 0x40) {
      if (at >= 0) return false;
      at = <isize>i;
    } else if (!isKeyChar(c)) return false;
  }
  if (at < 0) return isLcAlpha(<u32>load<u8>(p));
  // tenant-id "@" system-id
  let tenant = <usize>at;
  let system = n - tenant - 1;
  if (tenant == 0 || tenant > 241 || system == 0 || system > 14) return false;
  let t0 = <u32>load<u8>(p);
  if (!isLcAlpha(t0) && !(t0 >= 0x30 && t0 <= 0x39)) return false;
  return isLcAlpha(<u32>load<u8>(p + tenant + 1));
}

function validValue(p: usize, n: usize): bool {
  if (n == 0 || n > 256) return false;
  for (let i: usize = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c < 0x20 || c > 0x7e || c == 0x2c || c == 0x3d) return false;
  }
  return load<u8>(p + n - 1) != 0x20;
}

/** Found value of the last tsLookup: absolute pointer and length. */
export let tsValuePtr: usize = 0;
export let tsValueLen: usize = 0;

/**
 * Looks `key` up in the tracestate at [p, p+n). Returns true and sets tsValuePtr/Len when the
 * header is valid and holds the key.
 */
export let lastValid = false;

export function tracestateLookup(p: usize, n: usize, key: usize, keyLen: usize): bool {
  lastValid = false;
  let end = p + n;
  let members: u32 = 0;
  let found = false;
  let q = p;
  // Keys seen so far are re-checked against each new key: at most 32 members, so quadratic is small.
  while (q <= end) {
    let m = q;
    while (m < end && load<u8>(m) != 0x2c) m++;
    let s = q;
    let e = m;
    q = m + 1;
    if (e == s) {
      if (m >= end) break;
      continue;
    }
    let eq = s;
    while (eq < e && load<u8>(eq) != 0x3d) eq++;
    if (eq == e) return false;
    let ks = s;
    while (ks < eq && (load<u8>(ks) == 0x20 || load<u8>(ks) == 0x09)) ks++;
    let ve = e;
    while (ve > eq + 1 && (load<u8>(ve - 1) == 0x20 || load<u8>(ve - 1) == 0x09)) ve--;
    let kl = eq - ks;
    if (!validKey(ks, kl) || !validValue(eq + 1, ve - eq - 1)) return false;
    if (++members > 32) return false;
    if (duplicateBefore(p, ks, ks, kl)) return false;
    if (kl == keyLen && memory.compare(ks, key, kl) == 0) {
      found = true;
      tsValuePtr = eq + 1;
      tsValueLen = ve - eq - 1;
    }
    if (m >= end) break;
  }
  lastValid = true;
  return found;
}

/** Whether a member before `limit` (in the header starting at p) has the key [ks, ks+kl). */
function duplicateBefore(p: usize, limit: usize, ks: usize, kl: usize): bool {
  let q = p;
  while (q < limit) {
    let m = q;
    while (m < limit && load<u8>(m) != 0x2c) m++;
    let s = q;
    while (s < m && (load<u8>(s) == 0x20 || load<u8>(s) == 0x09)) s++;
    let eq = s;
    while (eq < m && load<u8>(eq) != 0x3d) eq++;
    if (eq < m && eq - s == kl && memory.compare(s, ks, kl) == 0) return true;
    q = m + 1;
  }
  return false;
}

/** Whether the whole header is valid (same rules as tracestateLookup). */
export function validTraceState(p: usize, n: usize): bool {
  tracestateLookup(p, n, 0, 0xffffffff);
  return lastValid;
}
