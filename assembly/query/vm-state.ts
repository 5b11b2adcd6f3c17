// What one evaluation of a predicate program reads: the batch (input bytes, attribute tables, the
// dense key-hash column) and the rows bound for the item being evaluated — span, event, link, log
// record, metric, data point and their scope and resource. The interpreter (program.ts) and the
// OTTL helpers (ottl-*.ts) read these; only the setters below change them.
import * as L from '../abi/trace-layout';
import { bytesEqual } from '../hash';

export let input: usize = 0;
export let attrs: usize = 0;
export let nested: usize = 0;
/** Dense u32 key hashes, one per attribute row (0 = scan the rows). */
export let hashes: usize = 0;
export let batchHeader: usize = 0;

export let spanRow: usize = 0;
export let resRow: usize = 0;
export let scopeRow: usize = 0;
export let eventRow: usize = 0;
export let linkRow: usize = 0;
export let logRow: usize = 0;
export let metricRow: usize = 0;
export let pointRow: usize = 0;

/** Binds a batch: its header and (optionally) the dense hash column of its attribute rows. */
export function bindBatch(header: usize, hashColumn: usize): void {
  batchHeader = header;
  input = <usize>load<u32>(header + L.B_INPUT);
  attrs = <usize>load<u32>(header + L.B_ATTRS);
  nested = <usize>load<u32>(header + L.B_NESTED);
  hashes = hashColumn;
}

/** Binds the rows of one evaluation (0 for rows the context has none of). */
export function bindRows(span: usize, resource: usize, scope: usize): void {
  spanRow = span;
  resRow = resource;
  scopeRow = scope;
}

export function bindResource(resource: usize): void {
  resRow = resource;
}

export function bindEvent(event: usize): void {
  eventRow = event;
}

export function bindLink(link: usize): void {
  linkRow = link;
}

/** Binds the signal-specific rows of an OTTL evaluation (log record, metric, data point). */
export function bindItem(log: usize, metric: usize, point: usize): void {
  logRow = log;
  metricRow = metric;
  pointRow = point;
}

/**
 * The attribute row with `key` among rows [first, first + count) of the bound batch's attribute
 * table, or 0. Uses the dense hash column when there is one: four hashes per compare.
 */
export function findAttr(first: u32, count: u32, keyHash: u32, key: usize, keyLen: u32): usize {
  if (!attrs) return 0;
  if (hashes) {
    let h = hashes + (<usize>first << 2);
    let e = h + (<usize>count << 2);
    let want = i32x4.splat(<i32>keyHash);
    while (h + 16 <= e && !v128.any_true(i32x4.eq(v128.load(h), want))) h += 16;
    while (h < e) {
      if (load<u32>(h) == keyHash) {
        let row = attrs + ((h - hashes) >> 2) * L.A_ROW;
        if (load<u32>(row + L.A_KEY_LEN) == keyLen && bytesEqual(input + <usize>load<u32>(row + L.A_KEY_OFF), key, keyLen)) return row;
      }
      h += 4;
    }
    return 0;
  }
  return findInRows(attrs + <usize>first * L.A_ROW, count, keyHash, key, keyLen);
}

/** The row with `key` among `count` rows from address `row` (attribute or nested rows), or 0. */
export function findInRows(row: usize, count: u32, keyHash: u32, key: usize, keyLen: u32): usize {
  let end = row + <usize>count * L.A_ROW;
  while (row < end) {
    if (load<u32>(row + L.A_KEY_HASH) == keyHash && load<u32>(row + L.A_KEY_LEN) == keyLen && bytesEqual(input + <usize>load<u32>(row + L.A_KEY_OFF), key, keyLen)) return row;
    row += L.A_ROW;
  }
  return 0;
}
