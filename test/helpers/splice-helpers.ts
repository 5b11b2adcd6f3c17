// Helpers for splice tests: the JSON a keep-all splice must produce, and replacement tables in core
// memory (the (pointer, length) pairs processors hand to the splice encoders).
import type { Core } from '../../src/core/core.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A batch's JSON with scopes and resources that hold no items removed (what a keep-all splice gives). */
export function pruneEmpty(json: any, resourcesKey: string, scopesKey: string, itemsKey: string): any {
  const resources = (json[resourcesKey] ?? [])
    .map((r: any) => ({ ...r, [scopesKey]: (r[scopesKey] ?? []).filter((s: any) => s[itemsKey]?.length) }))
    .filter((r: any) => r[scopesKey].length);
  return resources.length ? { [resourcesKey]: resources } : {};
}

/**
 * Copies each replacement into core memory and builds the (pointer, length) table the splice
 * encoders read; null entries stay "unchanged" (pointer 0). Call free() after the splice.
 */
export function replacements(core: Core, list: (Uint8Array | null)[]): { table: number; free: () => void } {
  const blocks: number[] = [];
  const table = core.exports.alloc(list.length * 8 + 8) >>> 0;
  list.forEach((bytes, i) => {
    let ptr = 0;
    if (bytes) {
      ptr = core.exports.alloc(Math.max(bytes.length, 1)) >>> 0;
      core.u8.set(bytes, ptr);
      blocks.push(ptr);
    }
    core.dv.setUint32(table + i * 8, ptr, true);
    core.dv.setUint32(table + i * 8 + 4, bytes ? bytes.length : 0, true);
  });
  return {
    table,
    free: () => {
      for (const b of blocks) core.exports.free(b);
      core.exports.free(table);
    },
  };
}
