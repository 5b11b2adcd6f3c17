// Ownership of a connector's state in core memory. The state lives as long as the connector; if the
// core instance is replaced after a trap (anywhere in the process), the old state is gone with it, so
// the next use builds a fresh one — counters restart with new start times, which every metrics
// backend reads as a reset — and `resets` counts how often that happened.
import { getCore } from '../core/init.js';
import type { Core } from '../core/core.js';
import { DisposedError } from '../core/errors.js';

interface Held {
  core: Core;
  generation: number;
  ptr: number;
  free: (core: Core, ptr: number) => void;
}

const registry = new FinalizationRegistry<Held>((held) => {
  // A connector garbage-collected without shutdown(): give its memory back if its instance lives on.
  if (held.ptr && held.core.generation === held.generation) held.free(held.core, held.ptr);
});

export class CoreState {
  readonly core: Core;
  private readonly held: Held;
  private readonly token = {};
  private disposed = false;
  /** How many times the state was rebuilt because the core instance was replaced. */
  resets = 0;

  constructor(
    private readonly what: string,
    private readonly create: (core: Core) => number,
    free: (core: Core, ptr: number) => void,
  ) {
    this.core = getCore();
    this.held = { core: this.core, generation: this.core.generation, ptr: 0, free };
    this.held.ptr = create(this.core);
    registry.register(this, this.held, this.token);
  }

  /** The state pointer in the live instance (rebuilt if the instance was replaced). */
  get ptr(): number {
    if (this.disposed) throw new DisposedError(this.what);
    if (this.held.generation !== this.core.generation) {
      this.held.ptr = 0;
      this.held.generation = this.core.generation;
      this.held.ptr = this.create(this.core);
      this.resets++;
    }
    return this.held.ptr;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    registry.unregister(this.token);
    if (this.held.ptr && this.held.generation === this.core.generation) this.held.free(this.core, this.held.ptr);
    this.held.ptr = 0;
  }
}
