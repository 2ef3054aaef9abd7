import type { CoreEvent } from '../../src-shared/api/events';

export type EventListener = (event: CoreEvent) => void;

/** The core's in-process event bus; transports subscribe and forward to UIs. */
export class EventBus {
  private listeners = new Set<EventListener>();
  emit(event: CoreEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A faulty subscriber (e.g. a closed socket) must not stop the others.
      }
    }
  }
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
