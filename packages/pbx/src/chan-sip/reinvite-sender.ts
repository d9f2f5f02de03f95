import type { ClientTransaction, ServerTransaction, SipResponse } from '@tandem/sip';

/**
 * Why a re-INVITE is wanted: chan_sip sends the session's unchanged SDP for a session-timer
 * refresh and the current (possibly changed) SDP otherwise (transmit_reinvite_with_sdp() oldsdp).
 */
export type ReinviteReason = 'session-refresh' | 'media';

/** What the re-INVITE sender needs from its call leg. */
export interface ReinviteHost {
  /** Whether a re-INVITE may go out now: the call is up and its dialog confirmed. */
  readonly canSend: boolean;
  /** We sent the dialog-creating INVITE, so we own the Call-ID (RFC 3261 §14.1). */
  readonly ownsCallId: boolean;
  /** Builds the re-INVITE (or UPDATE) from the call's current state and sends it. */
  transmit(reason: ReinviteReason): ClientTransaction | undefined;
  /** Sends the ACK for a 2xx of our re-INVITE (each retransmission gets one too). */
  acknowledge(response: SipResponse): void;
  /** The final answer to a re-INVITE we sent, other than a 491 (which is retried). */
  settled(response: SipResponse, request: ClientTransaction): void;
}

/** Options of {@link ReinviteSender}. */
export interface ReinviteSenderOptions {
  /** [0, 1) random source for the 491 back-off (default Math.random). */
  readonly random?: () => number;
}

/**
 * The re-INVITEs one call leg sends, serialized as chan_sip serializes them (Asterisk 20:
 * the SIP_NEEDREINVITE flag and check_pendings()): a wanted re-INVITE waits while one of ours
 * awaits its answer, while the party's INVITE is not yet acknowledged, and while we back off
 * after a 491; it is built only when it leaves, from the state of the call at that moment. A
 * 491 (glare, RFC 3261 §14.1) retries after 2.1-4 s when we own the Call-ID, 0-2 s otherwise;
 * nothing is retried once the call has ended (ASTERISK-22791).
 */
export class ReinviteSender {
  readonly #host: ReinviteHost;
  readonly #random: () => number;
  /** chan_sip SIP_NEEDREINVITE. */
  #wanted = false;
  /** Our INVITE that has no final answer yet (chan_sip `pendinginvite` for ours). */
  #inFlight: ClientTransaction | undefined;
  /** The party's INVITEs we have not seen the ACK of. */
  readonly #incoming = new Set<ServerTransaction>();
  /** The 491 back-off (chan_sip `waitid`). */
  #backoff: NodeJS.Timeout | undefined;
  /** Callers waiting for the next re-INVITE's final answer. */
  #waiters: ((response: SipResponse | undefined) => void)[] = [];
  /** Why the next re-INVITE is wanted (a media change wins over a refresh). */
  #reason: ReinviteReason = 'session-refresh';
  /** What runs once our in-flight INVITE has its answer (chan_sip SIP_PENDINGBYE). */
  #afterAnswer: (() => void)[] = [];
  #afterAnswerTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(host: ReinviteHost, options: ReinviteSenderOptions = {}) {
    this.#host = host;
    this.#random = options.random ?? Math.random;
  }

  /** True while one of our INVITEs awaits its final answer: a re-INVITE from the party gets 491. */
  get awaitingAnswer(): boolean {
    return this.#inFlight !== undefined;
  }

  /** True while backing off after a 491. */
  get backingOff(): boolean {
    return this.#backoff !== undefined;
  }

  /**
   * Asks for a re-INVITE with the call's current media (several requests before it leaves make
   * one). Resolves with its final answer (after any 491 retries), or undefined when the call
   * ended first.
   */
  request(reason: ReinviteReason = 'media'): Promise<SipResponse | undefined> {
    if (this.#stopped) return Promise.resolve(undefined);
    if (!this.#wanted || reason === 'media') this.#reason = reason;
    this.#wanted = true;
    const answered = new Promise<SipResponse | undefined>((resolve) => this.#waiters.push(resolve));
    this.checkPendings();
    return answered;
  }

  /**
   * Runs `action` (the BYE of a call that ended) once our in-flight INVITE has its final answer,
   * or after `timeoutMs` in case that answer never comes (chan_sip sip_hangup() with a pending
   * INVITE: SIP_PENDINGBYE and the 32*T1 reinviteid timer). False when nothing is in flight: the
   * caller acts now.
   */
  deferUntilAnswered(action: () => void, timeoutMs: number): boolean {
    if (this.#inFlight === undefined) return false;
    this.#afterAnswer.push(action);
    if (this.#afterAnswerTimer === undefined) {
      this.#afterAnswerTimer = setTimeout(() => this.#runAfterAnswer(), timeoutMs);
      this.#afterAnswerTimer.unref();
    }
    return true;
  }

  /** The party sent an INVITE: ours waits until it is acknowledged (or its transaction ends). */
  trackIncoming(transaction: ServerTransaction): void {
    if (this.#incoming.has(transaction)) return;
    this.#incoming.add(transaction);
    const done = (): void => {
      if (this.#incoming.delete(transaction)) this.checkPendings();
    };
    transaction.once('ack', done);
    transaction.once('ackTimeout', done);
    transaction.once('terminated', done);
  }

  /** Sends the wanted re-INVITE if nothing stands in its way (chan_sip check_pendings()). */
  checkPendings(): void {
    if (this.#stopped || !this.#wanted || this.#inFlight !== undefined || this.#backoff !== undefined) return;
    if (this.#incoming.size > 0 || !this.#host.canSend) return;
    this.#wanted = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    const transaction = this.#host.transmit(this.#reason);
    if (transaction === undefined) {
      for (const waiter of waiters) waiter(undefined);
      return;
    }
    this.#inFlight = transaction;
    const isInvite = transaction.request.method.toUpperCase() === 'INVITE';
    let settled = false;
    const settle = (response: SipResponse): void => {
      if (settled) return;
      settled = true;
      if (this.#inFlight === transaction) this.#inFlight = undefined;
      this.#runAfterAnswer();
      if (response.status === 491 && isInvite && !this.#stopped) {
        // chan_sip handle_response_invite() case 491: ask again after the RFC 3261 §14.1 wait.
        this.#waiters.unshift(...waiters);
        const waitMs = this.#host.ownsCallId ? 2100 + Math.floor(this.#random() * 2000) : Math.floor(this.#random() * 2000);
        this.#backoff = setTimeout(() => {
          this.#backoff = undefined;
          this.#wanted = true;
          this.checkPendings();
        }, waitMs);
        this.#backoff.unref();
        return;
      }
      this.#host.settled(response, transaction);
      for (const waiter of waiters) waiter(response);
      this.checkPendings();
    };
    transaction.on('response', (response) => {
      if (response.status < 200) return;
      // RFC 3261 §13.2.2.4: a 2xx to an INVITE is acknowledged end to end (an UPDATE has no ACK).
      if (response.status < 300 && isInvite) this.#host.acknowledge(response);
      settle(response);
    });
    transaction.on('failure', (failure) => settle(failure.response));
  }

  /**
   * The call ended: nothing more is sent, the 491 back-off is dropped (ASTERISK-22791), waiters
   * get undefined. An INVITE still in flight is followed to its answer (for a deferred BYE).
   */
  stop(): void {
    this.#stopped = true;
    this.#wanted = false;
    if (this.#backoff !== undefined) clearTimeout(this.#backoff);
    this.#backoff = undefined;
    this.#incoming.clear();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter(undefined);
  }

  #runAfterAnswer(): void {
    if (this.#afterAnswerTimer !== undefined) clearTimeout(this.#afterAnswerTimer);
    this.#afterAnswerTimer = undefined;
    const actions = this.#afterAnswer;
    this.#afterAnswer = [];
    for (const action of actions) action();
  }
}
