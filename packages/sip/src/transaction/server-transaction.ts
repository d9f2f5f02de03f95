import { EventEmitter } from 'node:events';
import { SipError } from '../sip-error.js';
import { createResponse, type CreateResponseOptions } from '../message/create-response.js';
import { serializeMessage } from '../message/serialize-message.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { isReliableTransport, type Destination } from '../transport/transport-types.js';
import type { TransactionHost } from './transaction-host.js';
import type { TransactionTimers } from './transaction-timers.js';
import type { TimerSet } from './timer-set.js';
import { TransactionLifecycle } from './transaction-lifecycle.js';

/** RFC 3261 §17.2 server states, plus RFC 6026 Accepted. */
export type ServerTransactionState = 'trying' | 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

/** Events of a server transaction. */
export interface ServerTransactionEvents {
  /** INVITE: a CANCEL matched (already answered 200); the TU answers the INVITE 487 itself. */
  cancel: [cancel: SipRequest];
  /** INVITE: the ACK for our final response arrived (2xx ACK or non-2xx ACK). */
  ack: [ack: SipRequest];
  /** INVITE: no ACK for our final response (Timer H for non-2xx, Timer L for 2xx). */
  ackTimeout: [];
  /** Sending a response failed (RFC 3261 §17.2.4). */
  transportError: [error: SipError];
  terminated: [];
}

/**
 * What INVITE and non-INVITE server transactions share: the request, where responses go, the
 * matching key, the timers (replaceable before the final response, for chan_sip's per-peer
 * `timert1`), and `respond()`/`reply()`.
 */
export abstract class ServerTransaction extends EventEmitter<ServerTransactionEvents> {
  /** The request's method (kept when the request itself is let go). */
  readonly method: string;
  /** Matching key (RFC 3261 §17.2.3). */
  readonly key: string;
  /** Where responses are sent. */
  readonly destination: Destination;
  protected readonly host: TransactionHost;
  /** The request, until the final response: what remains of the transaction then is its bytes. */
  #request: SipRequest | undefined;
  protected readonly reliable: boolean;
  readonly #lifecycle: TransactionLifecycle<ServerTransactionState, 'G' | 'H' | 'I' | 'J' | 'L' | '2xx'>;
  protected lastWire: Buffer | undefined;
  #timers: TransactionTimers;

  protected constructor(init: { request: SipRequest; key: string; destination: Destination; timers: TransactionTimers; host: TransactionHost; initialState: ServerTransactionState }) {
    super();
    this.#request = init.request;
    this.method = init.request.method;
    this.key = init.key;
    this.destination = init.destination;
    this.host = init.host;
    this.#timers = init.timers;
    this.#lifecycle = new TransactionLifecycle(init.initialState, () => {
      this.host.forget(this);
      this.emit('terminated');
    });
    this.reliable = isReliableTransport(init.destination.transport);
  }

  /**
   * The request, while it can still be answered.
   * @throws {@link SipError} `invalid-argument` once the final response was sent: the
   * transaction then only keeps that response's bytes to retransmit (Timers G/J/L), not the
   * parsed messages.
   */
  get request(): SipRequest {
    if (this.#request === undefined) throw new SipError('invalid-argument', `The ${this.method} server transaction has sent its final response`);
    return this.#request;
  }

  /** The RFC state. */
  get state(): ServerTransactionState {
    return this.#lifecycle.state;
  }

  /** The timers of this transaction. */
  protected get timerSet(): TimerSet<'G' | 'H' | 'I' | 'J' | 'L' | '2xx'> {
    return this.#lifecycle.timers;
  }

  /** The timers in use. */
  get timers(): TransactionTimers {
    return this.#timers;
  }

  /** Uses other timers from now on (e.g. the matched peer's `timert1`). */
  useTimers(timers: TransactionTimers): void {
    this.#timers = timers;
  }

  /**
   * Sends a response to the request.
   * @throws {@link SipError} `transaction-terminated` once the transaction has ended, or
   * `invalid-argument` for a response the current state forbids (a second final response).
   */
  abstract respond(response: SipResponse): void;

  /** Builds a response with {@link createResponse} and sends it; returns it. */
  reply(status: number, reason?: string, options?: CreateResponseOptions): SipResponse {
    this.ensureOpen();
    const response = createResponse(this.request, status, reason, options);
    this.respond(response);
    return response;
  }

  /** A retransmission of the request arrived (matched by key). */
  abstract receiveRetransmission(request: SipRequest): void;

  /** Stops everything (endpoint shutdown). */
  terminate(): void {
    this.enter('terminated');
  }

  protected enter(state: ServerTransactionState): void {
    this.#lifecycle.enter(state);
  }

  /** Serializes and sends a response; only its bytes are kept for retransmission, and after a final one nothing parsed. */
  protected transmitResponse(response: SipResponse): void {
    this.lastWire = serializeMessage(response);
    if (response.status >= 200) this.#request = undefined;
    this.resend();
  }

  /** Sends the last response again. */
  protected resend(): void {
    if (this.lastWire === undefined) return;
    this.host.transport.send(this.lastWire, this.destination).catch((error: unknown) => {
      const failure = new SipError('transport-error', `Cannot send response to ${this.method}`, { cause: error, status: 503 });
      this.emit('transportError', failure);
      this.enter('terminated');
    });
  }

  protected ensureOpen(): void {
    if (this.#lifecycle.state === 'terminated') {
      throw new SipError('transaction-terminated', `The ${this.method} server transaction has terminated`);
    }
  }
}
