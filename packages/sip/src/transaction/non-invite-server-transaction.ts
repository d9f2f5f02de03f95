import { SipError } from '../sip-error.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Destination } from '../transport/transport-types.js';
import { ServerTransaction } from './server-transaction.js';
import type { TransactionHost } from './transaction-host.js';
import type { TransactionTimers } from './transaction-timers.js';

/** The non-INVITE server transaction (RFC 3261 §17.2.2): Trying → Proceeding → Completed. */
export class NonInviteServerTransaction extends ServerTransaction {
  constructor(init: { request: SipRequest; key: string; destination: Destination; timers: TransactionTimers; host: TransactionHost }) {
    super({ ...init, initialState: 'trying' });
  }

  respond(response: SipResponse): void {
    this.ensureOpen();
    if (this.state !== 'trying' && this.state !== 'proceeding') {
      throw new SipError('invalid-argument', `Cannot send ${response.status} to ${this.method} in state ${this.state}`);
    }
    if (response.status < 200) {
      this.enter('proceeding');
      this.transmitResponse(response);
      return;
    }
    this.enter('completed');
    this.transmitResponse(response);
    this.timerSet.start('J', this.reliable ? 0 : this.timers.timerJ, () => this.enter('terminated'));
  }

  receiveRetransmission(): void {
    // RFC 3261 §17.2.2: absorbed in Trying; the last response again in Proceeding and Completed.
    if (this.state === 'proceeding' || this.state === 'completed') this.resend();
  }
}
