// Layout of a compiled regex program (built by src/regex/compile.ts, run by assembly/regex/).
// Valid AssemblyScript and TypeScript: untyped integer constants only. All header fields are u32
// (little-endian) at these byte offsets; *_OFF-style fields are byte offsets from the program start.
//
// Code points map to equivalence classes: code points < 128 through a u16 table, others through
// sorted (first code point u32, class u32) runs. Invalid UTF-8 decodes one byte at a time as
// U+FFFD, as Go does. A program always carries the NFA (Pike VM); it carries a DFA when the
// pattern has no line/word assertions and the DFA stayed under the size cap.

export const RX_MAGIC = 0;
export const RX_FLAGS = 4;
export const RX_CLASSES = 8; // number of equivalence classes K
export const RX_RANGE_COUNT = 12; // runs for code points >= 128
export const RX_ASCII = 16; // u16[128]
export const RX_RANGES = 20; // (u32 firstCodePoint, u32 class)[RANGE_COUNT], ascending
export const RX_INST_COUNT = 24;
export const RX_INSTS = 28; // (u32 op, u32 a, u32 b)[INST_COUNT]
export const RX_START = 32; // entry instruction
export const RX_SETS = 36; // class bitsets of OP_CONSUME, SET_WORDS u32 each
export const RX_SET_WORDS = 40;
export const RX_DFA_STATES = 44; // 0 when there is no DFA
export const RX_DFA_START = 48;
export const RX_DFA_TRANS = 52; // u32[STATES * K]: next state; state 0 is the empty set
export const RX_DFA_FLAGS = 56; // u8[STATES]: DFA_* bits
export const RX_SIZE = 60; // total bytes
export const RX_CAP_SLOTS = 64; // capture slots: 2 × (1 + capturing groups compiled); slots 0, 1 are the whole match
export const RX_THREADS = 68; // OP_CONSUME + OP_MATCH instructions (the most threads a Pike VM list holds)
export const RX_REQUIRED = 72; // up to 4 ASCII bytes (low byte first, 0 ends) that every match contains
export const RX_HEADER_SIZE = 80;

export const RX_MAGIC_VALUE = 0x32305852; // "RX02"

// RX_FLAGS bits
export const RXF_ANCHORED = 1; // the whole subject must match; otherwise any substring may
export const RXF_DFA = 2;
export const RXF_BEGIN_TEXT = 4; // the pattern asserts the start of the text (^ without (?m), \A)

// DFA state flags
export const DFA_ACCEPT_AT_END = 1; // accepting if the subject ends here
export const DFA_MATCHING = 2; // a match has been completed (unanchored: stop, it matches)

// NFA instructions: OP_CONSUME a = byte offset of the class bitset, b = next; OP_SPLIT a, b (a is
// preferred: leftmost-first priority); OP_JMP a; OP_ASSERT a = AS_* kind, b = next; OP_MATCH;
// OP_SAVE a = capture slot (2 × group, +1 at its end), b = next (an empty step when matching only).
export const OP_CONSUME = 1;
export const OP_SPLIT = 2;
export const OP_JMP = 3;
export const OP_ASSERT = 4;
export const OP_MATCH = 5;
export const OP_SAVE = 6;

export const AS_BEGIN_TEXT = 1;
export const AS_END_TEXT = 2;
export const AS_BEGIN_LINE = 3;
export const AS_END_LINE = 4;
export const AS_WORD_BOUNDARY = 5;
export const AS_NOT_WORD_BOUNDARY = 6;
