import type { Result } from '../../../src-shared/api/result';
import type { CoreEvent } from '../../../src-shared/api/events';

/** Whether the transport can reach the core right now (the header shows "Reconnecting…"). */
export type LinkState = 'connecting' | 'open' | 'closed';

export interface Transport {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onEvent(cb: (event: CoreEvent) => void): () => void;
  onLinkState(cb: (state: LinkState) => void): () => void;
}

/** A tiny typed listener set (no EventTarget: keeps payload types). */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(cb: (value: T) => void): () => void {
    this.set.add(cb);
    return () => this.set.delete(cb);
  }
  emit(value: T): void {
    for (const cb of [...this.set]) {
      try {
        cb(value);
      } catch (cause) {
        console.error('listener failed', cause);
      }
    }
  }
}
