// The traces filter processor's blocks in a pipeline program (STAGE_FILTER): a header naming the
// condition groups in the order they run (context, the ottlRun flags of their error_mode, and the
// texts a runtime error message quotes), then one condition block per group laid out by the writer
// the facade's OttlConditionSet loads its programs with (src/ottl/condition-block.ts). The runner
// (assembly/pipeline/stage-filter.ts) does what TracesFilterProcessor.edit does with them.
import * as PG from '../../assembly/abi/pipeline-program-layout.js';
import * as Q from '../../assembly/abi/query-layout.js';
import type { CoreMemory } from '../core/core-memory.js';
import { ConfigBlock } from '../connectors/core-config-block.js';
import { CONTEXT_IDS } from '../ottl/contexts.js';
import { quotedCondition } from '../ottl/condition-set.js';
import type { ErrorMode } from '../ottl/condition-set.js';
import { writeConditionBlock } from '../ottl/condition-block.js';
import type { ConditionGroup } from '../processors/ottl-config.js';

/** What FilterRun asks of ottlRun per error mode: a failure under propagate ends the batch. */
const RUN_FLAGS: Readonly<Record<ErrorMode, number>> = { ignore: 0, silent: 0, propagate: Q.OR_PROPAGATE | Q.OR_ABORT };

/** Writes the header (segment 0), then each group's condition block (segments 1 …), for recordSegments. */
export function writeFilterSegments(core: CoreMemory, groups: readonly ConditionGroup[], path: string): void {
  const b = new ConfigBlock();
  const head = b.reserve(PG.FF_FIRST + groups.length * PG.FG_ROW);
  b.u32(head + PG.FF_GROUP_COUNT, groups.length);
  const string = (ptrAt: number, lenAt: number, s: string) => {
    const [off, len] = b.utf8(s);
    b.ptr(ptrAt, off);
    b.u32(lenAt, len);
  };
  groups.forEach((g, i) => {
    const row = head + PG.FF_FIRST + i * PG.FG_ROW;
    b.u32(row + PG.FG_CONTEXT, CONTEXT_IDS[g.context]);
    b.u32(row + PG.FG_RUN_FLAGS, RUN_FLAGS[g.errorMode]);
    b.u32(row + PG.FG_CONDITION_COUNT, g.conditions.length);
    string(row + PG.FG_CONTEXT_NAME, row + PG.FG_CONTEXT_NAME_LEN, g.context);
    const texts = b.reserve(g.conditions.length * PG.FT_ROW);
    b.ptr(row + PG.FG_TEXTS, texts);
    g.conditions.forEach((c, k) => {
      const t = texts + k * PG.FT_ROW;
      string(t + PG.FT_TEXT, t + PG.FT_TEXT_LEN, quotedCondition(c.text));
      const sites = [...c.program.sites].sort(([a], [z]) => a - z);
      const rows = b.reserve(Math.max(sites.length, 1) * PG.FS_ROW);
      b.ptr(t + PG.FT_SITES, rows);
      b.u32(t + PG.FT_SITE_COUNT, sites.length);
      sites.forEach(([pc, pos], s) => {
        b.u32(rows + s * PG.FS_ROW + PG.FS_PC, pc);
        b.u32(rows + s * PG.FS_ROW + PG.FS_LINE, pos.line);
        b.u32(rows + s * PG.FS_ROW + PG.FS_COLUMN, pos.column);
      });
    });
  });
  // The header first: the runner finds it in segment 0, the groups' blocks after it.
  const header = b.commit(core, `${path}: condition groups`);
  groups.forEach((g, i) => {
    const block = writeConditionBlock(core, g.conditions.map((c) => c.program.bytes));
    core.dv.setUint32(header + head + PG.FF_FIRST + i * PG.FG_ROW + PG.FG_PROGRAMS, block, true);
  });
}
