// Masks in core memory for the filter processors, and the envelope check they need.
import * as B from '../../../assembly/abi/batch-layout.js';
import * as ERR from '../../../assembly/abi/errors.js';
import type { Core } from '../../core/core.js';
import { OtlpDecodeError } from '../../core/errors.js';

/** `n` bytes in core memory (filled with `fill` when given); throws when over the memory budget. */
export function allocMask(core: Core, n: number, source: string, fill?: number): number {
  const p = core.call('alloc', (ex) => ex.alloc(Math.max(n, 1)) >>> 0);
  if (!p) throw new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(n) }, 0, source);
  if (fill !== undefined) core.u8.fill(fill, p, p + n);
  return p;
}

/**
 * Whether the batch holds a scope without items or a resource without scopes: the collector's
 * filter removes those even when no condition matched, which takes a splice.
 */
export function hasEmptyEnvelopes(core: Core, header: number): boolean {
  const dv = core.dv;
  const scopes = dv.getUint32(header + B.B_SCOPES, true);
  const nScopes = dv.getUint32(header + B.B_SCOPE_COUNT, true);
  for (let s = 0; s < nScopes; s++) if (dv.getUint32(scopes + s * B.S_ROW + B.S_ITEM_COUNT, true) === 0) return true;
  const resources = dv.getUint32(header + B.B_RESOURCES, true);
  const nRes = dv.getUint32(header + B.B_RESOURCE_COUNT, true);
  for (let r = 0; r < nRes; r++) if (dv.getUint32(resources + r * B.R_ROW + B.R_SCOPE_COUNT, true) === 0) return true;
  return false;
}
