/** A scheduled callback; `cancel()` is idempotent. */
export interface TimerHandle {
  /** Epoch ms at which it fires. */
  readonly at: number;
  cancel(): void;
  /** True until it fired or was cancelled. */
  readonly pending: boolean;
}

interface Entry {
  at: number;
  sequence: number;
  callback: (() => void) | undefined;
}

/**
 * Many timers on one `setTimeout`: a binary min-heap of deadlines, so 100,000 registration
 * expiries or qualify pokes cost one Node timer and a small entry each. Deadlines use
 * `Date.now()` (fake timers in tests control both).
 */
export class TimerQueue {
  readonly #heap: Entry[] = [];
  #sequence = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #stopped = false;

  /** Runs `callback` at epoch ms `at` (at once on the next tick when `at` has passed). */
  schedule(at: number, callback: () => void): TimerHandle {
    const entry: Entry = { at, sequence: this.#sequence++, callback };
    this.#push(entry);
    this.#arm();
    return {
      at,
      cancel: () => {
        entry.callback = undefined;
      },
      get pending() {
        return entry.callback !== undefined;
      },
    };
  }

  /** Runs `callback` `delayMs` from now. */
  after(delayMs: number, callback: () => void): TimerHandle {
    return this.schedule(Date.now() + delayMs, callback);
  }

  /** Number of entries still queued (cancelled ones included until they surface). */
  get size(): number {
    return this.#heap.length;
  }

  /** Cancels everything and releases the Node timer. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const entry of this.#heap) entry.callback = undefined;
    this.#heap.length = 0;
  }

  #arm(): void {
    if (this.#stopped) return;
    const first = this.#heap[0];
    if (first === undefined) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.#timer !== undefined && this.#timerAt <= first.at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = first.at;
    // setTimeout's limit is 2^31-1 ms; longer waits re-arm when they wake up.
    const delay = Math.min(Math.max(first.at - Date.now(), 0), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.#fire(), delay);
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (let first = this.#heap[0]; first !== undefined && first.at <= now; first = this.#heap[0]) {
      this.#pop();
      const callback = first.callback;
      first.callback = undefined;
      callback?.();
    }
    this.#arm();
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentEntry = heap[parent] as Entry;
      if (!before(entry, parentEntry)) break;
      heap[index] = parentEntry;
      index = parent;
    }
    heap[index] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Entry, heap[left] as Entry) ? right : left;
      const childEntry = heap[child] as Entry;
      if (!before(childEntry, last)) break;
      heap[index] = childEntry;
      index = child;
    }
    heap[index] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
}
