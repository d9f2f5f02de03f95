import { SipError } from '../sip-error.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Destination } from '../transport/transport-types.js';
import { ServerTransaction } from './server-transaction.js';
import type { TransactionHost } from './transaction-host.js';
import type { TransactionTimers } from './transaction-timers.js';

/**
 * The INVITE server transaction (RFC 3261 §17.2.1 with RFC 6026 §8.5-8.7): Proceeding →
 * Completed → Confirmed for non-2xx; Accepted for 2xx, where it also retransmits the 2xx
 * (T1 doubling up to T2, unreliable transports only) until the ACK arrives, as chan_sip's
 * reliable transmission does, and reports `ackTimeout` after Timer L.
 */
export class InviteServerTransaction extends ServerTransaction {
  /**
   * Called when a final response is sent, so the layer can match its ACK by dialog and CSeq:
   * a 2xx ACK has a new branch (RFC 3261 §17.1.1.3), and chan_sip also accepts a non-2xx ACK
   * whose branch differs from the INVITE's (it matches by Call-ID and CSeq, and peers such as
   * sipp scenarios rely on it).
   */
  readonly #onFinal: (transaction: InviteServerTransaction, response: SipResponse) => void;
  /** Call-ID, CSeq number and From tag (how a CANCEL with another branch finds this INVITE). */
  readonly cancelKey: string;
  /** The INVITE's CSeq number (an ACK for another one is not ours), undefined when unparsable. */
  readonly cseq: number | undefined;
  #acked = false;
  #interval = 0;

  constructor(init: {
    request: SipRequest;
    key: string;
    destination: Destination;
    timers: TransactionTimers;
    host: TransactionHost;
    onFinal: (transaction: InviteServerTransaction, response: SipResponse) => void;
    cancelKey: string;
  }) {
    super({ ...init, initialState: 'proceeding' });
    this.#onFinal = init.onFinal;
    this.cancelKey = init.cancelKey;
    this.cseq = cseqOf(init.request);
  }

  /** True once the ACK for our final response arrived. */
  get acknowledged(): boolean {
    return this.#acked;
  }

  respond(response: SipResponse): void {
    this.ensureOpen();
    const status = response.status;
    if (this.state === 'accepted' && status >= 200 && status < 300) {
      this.transmitResponse(response);
      return;
    }
    if (this.state !== 'proceeding') {
      throw new SipError('invalid-argument', `Cannot send ${status} to INVITE in state ${this.state}`);
    }
    if (status < 200) {
      this.transmitResponse(response);
    } else if (status < 300) {
      this.enter('accepted');
      this.transmitResponse(response);
      this.#onFinal(this, response);
      if (!this.reliable) this.#scheduleRetransmit('2xx');
      this.timerSet.start('L', this.timers.timerL, () => {
        if (!this.#acked) this.emit('ackTimeout');
        this.enter('terminated');
      });
    } else {
      this.enter('completed');
      this.transmitResponse(response);
      this.#onFinal(this, response);
      if (!this.reliable) this.#scheduleRetransmit('G');
      this.timerSet.start('H', this.timers.timerH, () => {
        this.emit('ackTimeout');
        this.enter('terminated');
      });
    }
  }

  receiveRetransmission(request: SipRequest): void {
    if (request.method.toUpperCase() === 'ACK') {
      this.receiveAck(request);
      return;
    }
    // RFC 3261 §17.2.1: a retransmitted INVITE gets the last response again.
    if (this.state === 'proceeding' || this.state === 'completed' || this.state === 'accepted') this.resend();
  }

  /** The ACK for our final response (matched by branch for non-2xx, by dialog for 2xx). */
  receiveAck(ack: SipRequest): void {
    if (this.state === 'completed') {
      this.timerSet.stop('G');
      this.timerSet.stop('H');
      this.#acked = true;
      this.enter('confirmed');
      this.emit('ack', ack);
      this.timerSet.start('I', this.reliable ? 0 : this.timers.timerI, () => this.enter('terminated'));
    } else if (this.state === 'accepted' && !this.#acked) {
      this.timerSet.stop('2xx');
      this.#acked = true;
      this.emit('ack', ack);
    }
  }

  /** A CANCEL for this INVITE arrived (the layer answered it 200). */
  receiveCancel(cancel: SipRequest): void {
    if (this.state === 'proceeding') this.emit('cancel', cancel);
  }

  #scheduleRetransmit(timer: 'G' | '2xx'): void {
    this.#interval = this.timers.t1;
    const fire = () => {
      if ((timer === 'G' && this.state !== 'completed') || (timer === '2xx' && (this.state !== 'accepted' || this.#acked))) return;
      this.resend();
      this.#interval = Math.min(2 * this.#interval, this.timers.t2);
      this.timerSet.start(timer, this.#interval, fire);
    };
    this.timerSet.start(timer, this.#interval, fire);
  }
}

function cseqOf(request: SipRequest): number | undefined {
  try {
    return request.cseq.seq;
  } catch {
    return undefined;
  }
}
