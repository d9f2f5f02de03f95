import type { ServerTransaction, SipRequest } from '@tandem/sip';
import { getTag } from '@tandem/sip';

/** A dialog that is no call: a subscription we accepted or one we made (RFC 6665). */
export interface SubscriptionDialog {
  /** Handles a request inside the dialog; it must answer through `transaction`. */
  handleRequest(request: SipRequest, transaction: ServerTransaction): Promise<void> | void;
}

/**
 * The subscription dialogs of the SIP driver, found by Call-ID and our tag (the To tag of a
 * request to us). The remote tag is not part of the key: a notifier may answer our SUBSCRIBE
 * without a To tag and then NOTIFY with a tag of its own, which chan_sip accepts.
 */
export class SubscriptionDialogs {
  readonly #dialogs = new Map<string, SubscriptionDialog>();

  /** Dialogs known. */
  get size(): number {
    return this.#dialogs.size;
  }

  add(callId: string, localTag: string, dialog: SubscriptionDialog): void {
    this.#dialogs.set(`${callId};${localTag}`, dialog);
  }

  remove(callId: string, localTag: string, dialog: SubscriptionDialog): void {
    const key = `${callId};${localTag}`;
    if (this.#dialogs.get(key) === dialog) this.#dialogs.delete(key);
  }

  /** The dialog a request with a To tag belongs to, if it is a subscription dialog. */
  find(request: SipRequest): SubscriptionDialog | undefined {
    const localTag = getTag(request.to);
    return localTag === undefined ? undefined : this.#dialogs.get(`${request.callId};${localTag}`);
  }

  /** Every dialog (for `sip show subscriptions` and shutdown). */
  all(): SubscriptionDialog[] {
    return [...this.#dialogs.values()];
  }
}
