import { TimerSet } from './timer-set.js';

/**
 * The state and timers of one transaction: entering `terminated` (once) clears every timer and
 * runs the termination callback (forget the transaction, tell listeners).
 */
export class TransactionLifecycle<State extends string, TimerName extends string> {
  readonly timers = new TimerSet<TimerName>();
  readonly #onTerminated: () => void;
  #state: State | 'terminated';

  constructor(initial: State, onTerminated: () => void) {
    this.#state = initial;
    this.#onTerminated = onTerminated;
  }

  get state(): State | 'terminated' {
    return this.#state;
  }

  /** Moves to `state`; nothing happens once terminated. */
  enter(state: State | 'terminated'): void {
    if (this.#state === 'terminated') return;
    this.#state = state;
    if (state === 'terminated') {
      this.timers.clear();
      this.#onTerminated();
    }
  }
}
