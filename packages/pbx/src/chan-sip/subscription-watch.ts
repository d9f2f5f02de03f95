import type { EventSubscription } from './event-subscription.js';

/** How often hint states are compared with what was last NOTIFYed. */
const CHECK_INTERVAL_MS = 1000;

/**
 * Keeps accepted subscriptions informed: Tandem has no device-state event bus, so the hint
 * state of each presence subscription is compared with the last one NOTIFYed once a second
 * (chan_sip is called back by the core instead). Mailbox changes reach MWI subscribers through
 * `MwiNotifier`.
 */
export class SubscriptionWatch {
  readonly #subscriptions = new Set<EventSubscription>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Watches a new subscription (the first one starts the periodic check). */
  add(subscription: EventSubscription): void {
    this.#subscriptions.add(subscription);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
      this.#timer.unref?.();
    }
  }

  /** The subscription of a device's mailboxes, if it has one (chan_sip `peer->mwipvt`). */
  mailboxSubscriptionOf(peerName: string): EventSubscription | undefined {
    return this.list().find((subscription) => subscription.target.kind === 'mwi' && subscription.target.peer.name === peerName);
  }

  /** Live subscriptions, oldest first. */
  list(): EventSubscription[] {
    for (const subscription of this.#subscriptions) if (subscription.ended) this.#subscriptions.delete(subscription);
    return [...this.#subscriptions];
  }

  /** NOTIFYs every presence subscription whose hint state changed. */
  check(): void {
    const live = this.list();
    for (const subscription of live) if (subscription.target.kind === 'presence') subscription.notify();
    if (live.length === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Ends every subscription and the watch. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const subscription of this.#subscriptions) subscription.end();
    this.#subscriptions.clear();
  }
}
