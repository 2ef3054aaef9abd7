// Our calls to one charger, in priority order. OCPP-J allows one CALL in flight per direction
// (OCPP-J 1.6 §4.1.1), so a call waits for the one in flight, however slow; what a priority
// changes is which of the waiting calls goes next: a load reduction queued behind three
// GetDiagnostics goes right after the one being answered, not after all three.
// (ocpp-rpc's own queue, callConcurrency 1, is FIFO and stays empty: only this queue calls it.)

/** urgent: load reductions and stops; slow: calls with long answers or long timeouts. */
export type CallPriority = 'urgent' | 'normal' | 'slow';

const RANK: Record<CallPriority, number> = { urgent: 0, normal: 1, slow: 2 };

interface Waiting {
  rank: number;
  seq: number;
  start: () => void;
}

export class OutboundQueue {
  private readonly waiting: Waiting[] = [];
  private busy = false;
  private seq = 0;

  /** Calls waiting to be sent (not counting the one in flight). */
  get length(): number {
    return this.waiting.length;
  }

  /** Runs `send` when every call before it (by priority, then arrival) has been answered. */
  run<T>(priority: CallPriority, send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: Waiting = {
        rank: RANK[priority],
        seq: this.seq++,
        start: () => {
          let p: Promise<T>;
          try {
            p = send();
          } catch (e) {
            p = Promise.reject(e);
          }
          p.then(resolve, reject).finally(() => this.next());
        },
      };
      // Stable insertion: after every waiting call of the same or a higher priority.
      let i = this.waiting.length;
      while (i > 0 && (this.waiting[i - 1] as Waiting).rank > item.rank) i--;
      this.waiting.splice(i, 0, item);
      if (!this.busy) this.next();
    });
  }

  private next(): void {
    const item = this.waiting.shift();
    this.busy = item !== undefined;
    item?.start();
  }
}

/** The default priority of each call we make. */
export function priorityOf(action: string): CallPriority {
  switch (action) {
    case 'SetChargingProfile':
    case 'ClearChargingProfile':
    case 'RemoteStopTransaction':
      return 'urgent';
    case 'GetDiagnostics':
    case 'UpdateFirmware':
    case 'GetConfiguration':
    case 'SendLocalList':
      return 'slow';
    default:
      return 'normal';
  }
}
