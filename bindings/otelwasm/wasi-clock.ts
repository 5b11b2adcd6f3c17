// The time for a run: the collector's host gives its plug-ins WASI preview 1, whose realtime clock
// stands in for the `now` a JavaScript caller passes (tail-sampling ticks, span-metrics times).
// @ts-ignore: decorator
@external('wasi_snapshot_preview1', 'clock_time_get')
declare function clockTimeGet(id: u32, precision: u64, out: usize): u16;

const REALTIME: u32 = 0;
const NOW = memory.data(8, 8);

/** Unix time in milliseconds (0 if the host refuses the clock). */
export function nowUnixMs(): f64 {
  if (clockTimeGet(REALTIME, 1000, NOW) != 0) return 0;
  return <f64>load<u64>(NOW) / 1e6;
}
