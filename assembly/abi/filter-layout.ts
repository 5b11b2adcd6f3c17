// Layouts shared by the filter processor's core calls and its facade (untyped integer constants only).

// Result record of traceDropEvents (eventDropResult()): replacement content for spans that lose events.
export const ED_TABLE = 0; // u32: (ptr, len) per span, 0 where unchanged; 0 when no span changed
export const ED_CONTENT = 4; // u32: the block holding the new contents (owned by the caller)
export const ED_SPANS = 8; // u32: spans rewritten
export const ED_SIZE = 16;

// ottlErrorInfo(): the first failure of the last ottlRun.
export const OE_KIND = 0; // RT_*
export const OE_CONDITION = 4; // index of the failing condition in the run
export const OE_ITEM = 8; // item index (in the context's table)
export const OE_PC = 12; // code word of the failing instruction
export const OE_TYPE = 16; // VT_* of the value involved
export const OE_SIZE = 24;

// A condition set's block, as the facade's OttlConditionSet loads it and a pipeline program's filter
// stage carries it: the u32 addresses of its programs (the table ottlRun takes) at offset 0, then
// the programs themselves, each starting at a multiple of CS_ALIGN from the block's start.
export const CS_TABLE = 0;
export const CS_ALIGN = 16;
