// A live restore replaces the data under the running core. Every part that keeps state derived
// from that data (charger connections authenticated against it, caches, anything keyed by a row
// id, timers computed from settings) registers a hook here, and the restore path
// (backup/service.ts) runs them all in one place. A new feature with such state registers too;
// nothing in the restore path knows about it.
import type { Logger } from './logger';

export interface RestoreHook {
  /** Who this is, for the log. */
  name: string;
  /**
   * Just before the data is replaced: write out what is pending so it lands in the data it
   * belongs to. Synchronous, like the swap and afterSwap: no charger message or API call can be
   * handled between the three. Throwing cancels the restore (nothing has changed yet).
   */
  beforeSwap?(): void;
  /**
   * Just after: drop or reload everything derived from the old data. Synchronous. A failure is
   * logged and the other hooks still run (the data has already been replaced).
   */
  afterSwap(): void;
}

export class RestoreHooks {
  private readonly hooks: RestoreHook[] = [];

  constructor(private readonly logger: Logger) {}

  /** Registers a hook (run in registration order); returns its removal. */
  register(hook: RestoreHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  beforeSwap(): void {
    for (const h of this.hooks) h.beforeSwap?.();
  }

  afterSwap(): void {
    for (const h of this.hooks) {
      try {
        h.afterSwap();
      } catch (cause) {
        this.logger.error('restore hook failed', { hook: h.name, cause });
      }
    }
  }

  /** The registered hooks' names (tests, diagnostics). */
  get names(): string[] {
    return this.hooks.map((h) => h.name);
  }
}
