/** Message counts of a mailbox (main/mwi.c `ast_mwi_state`). */
export interface MailboxState {
  readonly newMessages: number;
  readonly oldMessages: number;
}

/** `box@context` with Asterisk's default context. */
export function mailboxKey(mailbox: string): string {
  const at = mailbox.indexOf('@');
  return (at < 0 ? `${mailbox}@default` : mailbox).toLowerCase();
}

/**
 * Mailbox states Tandem knows (Asterisk's MWI cache, fed by ast_publish_mwi_state()): what
 * remote mailbox servers NOTIFY (chan_sip publishes them in context `SIP_Remote`), read back
 * for MWI sent to devices with `mailbox=`. Listeners hear every change.
 */
export class MailboxStates {
  readonly #states = new Map<string, MailboxState>();
  readonly #listeners = new Set<(mailbox: string, state: MailboxState) => void>();

  /** Records the counts of `mailbox` (`box@context`); listeners are told when they changed. */
  publish(mailbox: string, state: MailboxState): void {
    const key = mailboxKey(mailbox);
    const previous = this.#states.get(key);
    this.#states.set(key, state);
    if (previous?.newMessages === state.newMessages && previous.oldMessages === state.oldMessages) return;
    for (const listener of this.#listeners) listener(key, state);
  }

  /** The counts of `mailbox`, undefined when nothing was published for it. */
  get(mailbox: string): MailboxState | undefined {
    return this.#states.get(mailboxKey(mailbox));
  }

  /** The summed counts of several mailboxes (ast_app_inboxcount() over a peer's mailbox list). */
  total(mailboxes: readonly string[]): MailboxState {
    let newMessages = 0;
    let oldMessages = 0;
    for (const mailbox of mailboxes) {
      const state = this.get(mailbox);
      newMessages += state?.newMessages ?? 0;
      oldMessages += state?.oldMessages ?? 0;
    }
    return { newMessages, oldMessages };
  }

  /** Calls `listener` on each change; returns the function that stops it. */
  onChange(listener: (mailbox: string, state: MailboxState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
