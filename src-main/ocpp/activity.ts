// Live sessions ordered least recently heard first, as an intrusive doubly linked list.
//
// A message moves its session to the end; the offline sweep reads from the front and stops at
// the first session still fresh, instead of touching every session every second. It was a
// `Set` (delete + add per message): with 10,000 chargers that churned the Set's 10,000-entry
// hash table, whose reallocated backing stores were a share of the medium-lived garbage that
// makes each young-generation GC long (docs/benchmarks.md round 6). Relinking two fields of
// objects that already exist allocates nothing.

export interface ActivityLinks<T> {
  /** Neighbours in the list; only the list reads or writes these. */
  prevActive: T | null;
  nextActive: T | null;
  listed: boolean;
}

export class ActivityList<T extends ActivityLinks<T>> {
  private head: T | null = null;
  private tail: T | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends `item` (most recently heard), moving it there if it is already listed. */
  touch(item: T): void {
    if (item.listed) {
      if (this.tail === item) return;
      this.unlink(item);
    }
    item.prevActive = this.tail;
    item.nextActive = null;
    if (this.tail) this.tail.nextActive = item;
    else this.head = item;
    this.tail = item;
    item.listed = true;
    this.count++;
  }

  delete(item: T): void {
    if (item.listed) this.unlink(item);
  }

  /** The least recently heard item, or null. */
  first(): T | null {
    return this.head;
  }

  clear(): void {
    for (let item = this.head; item;) {
      const next = item.nextActive;
      item.prevActive = item.nextActive = null;
      item.listed = false;
      item = next;
    }
    this.head = this.tail = null;
    this.count = 0;
  }

  private unlink(item: T): void {
    const { prevActive: prev, nextActive: next } = item;
    if (prev) prev.nextActive = next;
    else this.head = next;
    if (next) next.prevActive = prev;
    else this.tail = prev;
    item.prevActive = item.nextActive = null;
    item.listed = false;
    this.count--;
  }
}
