// What the runner keeps per processor and per connector while a program runs (module-internal,
// never read by the facade): its kind, its name for messages, its blocks and its state.
export const K_KIND = 0; // STAGE_* / CONNECTOR_*
export const K_FLAGS = 4; // SF_*
export const K_NAME = 8; // pointer to the component id (a block of its own)
export const K_NAME_LEN = 12;
export const K_BLOCK = 16; // options / edit plan / spanmetrics output plan
export const K_AUX = 20; // key patterns of an edit plan
export const K_STATE = 24; // tail sampler / spanmetrics state
export const K_TICKS = 28; // tail sampler: one-second ticks run since the first call
export const K_START = 32; // f64, tail sampler: time of the first call (NaN before it)
export const K_SLOTS = 40; // tail sampler: byte buffer of u32 batch headers by slot (0 = free slot)
export const K_FREE_SLOTS = 44; // tail sampler: byte buffer of u32 free slot numbers (a stack)
export const K_SIZE = 48;
