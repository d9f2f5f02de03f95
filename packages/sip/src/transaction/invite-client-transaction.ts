import { serializeMessage } from '../message/serialize-message.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { inviteFollowUp } from './cancel-request.js';
import type { Destination } from '../transport/transport-types.js';
import { ClientTransaction } from './client-transaction.js';
import type { TransactionHost } from './transaction-host.js';
import type { TransactionTimers } from './transaction-timers.js';

/**
 * The INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §8.4): Calling → Proceeding →
 * Completed (non-2xx: ACK sent here) or Accepted (2xx: every 2xx passed to the TU, which ACKs).
 */
export class InviteClientTransaction extends ClientTransaction {
  #timerA: number;
  #cancelWanted = false;
  #startCancel: (() => void) | undefined;
  #ack: Buffer | undefined;

  constructor(init: { request: SipRequest; destination: Destination; branch: string; timers: TransactionTimers; host: TransactionHost }) {
    super({ ...init, initialState: 'calling' });
    this.#timerA = init.timers.t1;
  }

  start(): void {
    this.transmit();
    // RFC 3261 §17.1.1.2: Timer A only on unreliable transports; Timer B always.
    if (!this.reliable) this.timerSet.start('A', this.#timerA, () => this.#timerAFired());
    this.timerSet.start('B', this.timers.timerB, () => this.fail('timeout', 'B'));
  }

  /**
   * Asks for a CANCEL (RFC 3261 §9.1): sent at once in Proceeding, after the first provisional
   * response in Calling, not at all once a final response arrived. `send` builds and starts the
   * CANCEL client transaction (the transaction layer provides it).
   */
  requestCancel(send: () => void): void {
    if (this.state === 'proceeding') {
      send();
    } else if (this.state === 'calling') {
      this.#cancelWanted = true;
      this.#startCancel = send;
    }
  }

  receive(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (status < 200) {
          this.#proceeding();
          this.emit('response', response);
        } else if (status < 300) {
          this.#accepted(response);
        } else {
          this.#completed(response);
        }
        return;
      case 'accepted':
        // RFC 6026 §8.4: 2xx retransmissions and forked 2xx go to the TU.
        if (status >= 200 && status < 300) this.emit('response', response);
        return;
      case 'completed':
        // RFC 3261 §17.1.1.2: retransmitted finals are absorbed, the ACK is resent.
        if (status >= 300 && this.#ack !== undefined) this.sendBytes(this.#ack);
        return;
      case 'trying':
      case 'terminated':
        return;
    }
  }

  #timerAFired(): void {
    if (this.state !== 'calling') return;
    this.transmit();
    this.#timerA *= 2;
    this.timerSet.start('A', this.#timerA, () => this.#timerAFired());
  }

  #proceeding(): void {
    this.timerSet.stop('A');
    if (this.state === 'calling') {
      this.enter('proceeding');
      // RFC 3261 §17.1.1.2: Timer B only guards Calling.
      this.timerSet.stop('B');
      if (this.#cancelWanted) {
        this.#cancelWanted = false;
        this.#startCancel?.();
      }
    }
  }

  #accepted(response: SipResponse): void {
    this.timerSet.stop('A');
    this.timerSet.stop('B');
    this.enter('accepted');
    this.settle(response);
    this.emit('response', response);
    this.timerSet.start('M', this.timers.timerM, () => this.enter('terminated'));
  }

  #completed(response: SipResponse): void {
    this.timerSet.stop('A');
    this.timerSet.stop('B');
    this.enter('completed');
    this.#ack = serializeMessage(ackForNon2xx(this.request, response));
    this.sendBytes(this.#ack);
    this.settle(response);
    this.emit('response', response);
    this.timerSet.start('D', this.reliable ? 0 : this.timers.timerD, () => this.enter('terminated'));
  }
}

/**
 * The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): Request-URI, Call-ID, From, CSeq
 * number, top Via and Route of the INVITE, To of the response.
 */
export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  return inviteFollowUp(invite, 'ACK', response.headers.get('To') ?? invite.headers.get('To') ?? '');
}
