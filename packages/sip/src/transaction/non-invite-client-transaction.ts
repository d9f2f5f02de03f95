import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Destination } from '../transport/transport-types.js';
import { ClientTransaction } from './client-transaction.js';
import type { TransactionHost } from './transaction-host.js';
import type { TransactionTimers } from './transaction-timers.js';

/** The non-INVITE client transaction (RFC 3261 §17.1.2): Trying → Proceeding → Completed. */
export class NonInviteClientTransaction extends ClientTransaction {
  #timerE: number;

  constructor(init: { request: SipRequest; destination: Destination; branch: string; timers: TransactionTimers; host: TransactionHost }) {
    super({ ...init, initialState: 'trying' });
    this.#timerE = init.timers.t1;
  }

  start(): void {
    this.transmit();
    if (!this.reliable) this.timerSet.start('E', this.#timerE, () => this.#timerEFired());
    // RFC 3261 §17.1.2.2: Timer F runs in Trying and Proceeding alike.
    this.timerSet.start('F', this.timers.timerF, () => this.fail('timeout', 'F'));
  }

  receive(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    if (response.status < 200) {
      this.enter('proceeding');
      this.emit('response', response);
      return;
    }
    this.timerSet.stop('E');
    this.timerSet.stop('F');
    this.enter('completed');
    this.settle(response);
    this.emit('response', response);
    this.timerSet.start('K', this.reliable ? 0 : this.timers.timerK, () => this.enter('terminated'));
  }

  #timerEFired(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.transmit();
    // RFC 3261 §17.1.2.2: double up to T2 while Trying; T2 once Proceeding.
    this.#timerE = this.state === 'trying' ? Math.min(2 * this.#timerE, this.timers.t2) : this.timers.t2;
    this.timerSet.start('E', this.#timerE, () => this.#timerEFired());
  }
}
