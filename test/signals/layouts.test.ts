// The shared batch layout (batch-layout.ts) and the trace layout (trace-layout.ts, which predates it
// and keeps its own names) describe the same bytes: code shared by the signals reads trace batches
// through the shared names, so every common slot, row offset and value tag must agree.
import { describe, it, expect } from 'vitest';
import * as B from '../../assembly/abi/batch-layout.js';
import * as T from '../../assembly/abi/trace-layout.js';
import * as LG from '../../assembly/abi/logs-layout.js';
import * as M from '../../assembly/abi/metrics-layout.js';

const renamed: Record<string, string> = {
  B_ITEM_COUNT: 'B_SPAN_COUNT',
  B_ITEMS: 'B_SPANS',
  R_ITEM_START: 'R_SPAN_START',
  R_ITEM_COUNT: 'R_SPAN_COUNT',
  S_ITEM_START: 'S_SPAN_START',
  S_ITEM_COUNT: 'S_SPAN_COUNT',
  I_FIELD_START: 'SP_FIELD_START',
  I_CONTENT_START: 'SP_CONTENT_START',
  I_CONTENT_END: 'SP_CONTENT_END',
  I_OWNER: 'SP_SCOPE',
};
const sharedOnly = new Set(['NO_ROW']);

describe('layouts', () => {
  it('every shared constant has the same value in the trace layout', () => {
    for (const [name, value] of Object.entries(B)) {
      if (sharedOnly.has(name)) continue;
      const traceName = renamed[name] ?? name;
      expect([name, (T as Record<string, number>)[traceName]]).toEqual([name, value]);
    }
  });

  it('log and metric item rows start like every item row, and their header slots do not collide', () => {
    const start = [B.I_FIELD_START, B.I_CONTENT_START, B.I_CONTENT_END, B.I_OWNER];
    expect([LG.LR_FIELD_START, LG.LR_CONTENT_START, LG.LR_CONTENT_END, LG.LR_SCOPE]).toEqual(start);
    expect([M.M_FIELD_START, M.M_CONTENT_START, M.M_CONTENT_END, M.M_SCOPE]).toEqual(start);
    expect([M.DP_FIELD_START, M.DP_CONTENT_START, M.DP_CONTENT_END, M.DP_METRIC]).toEqual(start);
    expect([M.X_FIELD_START, M.X_CONTENT_START, M.X_CONTENT_END, M.X_POINT]).toEqual(start);
    expect([T.E_FIELD_START, T.E_CONTENT_START, T.E_CONTENT_END, T.E_SPAN]).toEqual(start);
    expect([T.L_FIELD_START, T.L_CONTENT_START, T.L_CONTENT_END, T.L_SPAN]).toEqual(start);
    expect([LG.B_RECORD_COUNT, LG.B_RECORDS, M.B_METRIC_COUNT, M.B_METRICS]).toEqual([B.B_ITEM_COUNT, B.B_ITEMS, B.B_ITEM_COUNT, B.B_ITEMS]);
    const common = [B.B_INPUT, B.B_INPUT_LEN, B.B_RESOURCE_COUNT, B.B_RESOURCES, B.B_SCOPE_COUNT, B.B_SCOPES, B.B_ITEM_COUNT, B.B_ITEMS, B.B_ATTR_COUNT, B.B_ATTRS, B.B_NESTED_COUNT, B.B_NESTED, B.B_FLAGS, B.B_DEPTH_LIMIT, B.B_EXTRA];
    const metricSlots = [M.B_POINT_COUNT, M.B_POINTS, M.B_EXEMPLAR_COUNT, M.B_EXEMPLARS, M.B_VALUE_COUNT, M.B_VALUES];
    for (const slot of metricSlots) {
      expect(common).not.toContain(slot);
      expect(slot % 4).toBe(0);
      expect(slot + 4).toBeLessThanOrEqual(B.B_HEADER_SIZE);
    }
    expect(M.BATCH_VALUES_BUILT & (B.BATCH_ATTRS_BUILT | B.BATCH_NEEDS_REWRITE)).toBe(0);
    // 64-bit fields sit on 8-byte boundaries of 8-byte rows.
    for (const [row, fields] of [
      [LG.LR_ROW, [LG.LR_TIME, LG.LR_OBSERVED_TIME]],
      [M.DP_ROW, [M.DP_START_TIME, M.DP_TIME, M.DP_VALUE, M.DP_COUNT, M.DP_SUM, M.DP_MIN, M.DP_MAX, M.DP_ZERO_COUNT, M.DP_ZERO_THRESHOLD]],
      [M.X_ROW, [M.X_TIME, M.X_VALUE]],
    ] as const) {
      expect(row % 8).toBe(0);
      for (const f of fields) expect(f % 8).toBe(0);
    }
  });
});
