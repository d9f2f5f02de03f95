import { EventEmitter } from 'node:events';
import { SipError } from '../sip-error.js';
import { createResponse } from '../message/create-response.js';
import { serializeMessage } from '../message/serialize-message.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { isReliableTransport, type Destination, type MessageSource } from '../transport/transport-types.js';
import type { TransactionHost } from './transaction-host.js';
import type { TransactionTimers } from './transaction-timers.js';
import type { TimerSet } from './timer-set.js';
import { TransactionLifecycle } from './transaction-lifecycle.js';

/** RFC 3261 §17.1 client states, plus RFC 6026 Accepted. */
export type ClientTransactionState = 'calling' | 'trying' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

/** Why a client transaction failed without a real final response. */
export interface TransactionFailure {
  /** `timeout`: Timer B or F fired (RFC 3261 §17.1.1.2, §17.1.2.2); `transport-error`: the send failed (§17.1.4). */
  readonly reason: 'timeout' | 'transport-error';
  readonly timer?: 'B' | 'F';
  readonly error: SipError;
  /** The response the TU should act on: a local 408 for a timeout, a 503 for a transport error (RFC 3261 §8.1.3.1). */
  readonly response: SipResponse;
}

/** Events of a client transaction. */
export interface ClientTransactionEvents {
  /** Every response passed to the TU: provisionals, the final, and (INVITE) each 2xx while Accepted. */
  response: [response: SipResponse];
  /** Timeout or transport error; `final` resolves with the synthetic response too. */
  failure: [failure: TransactionFailure];
  terminated: [];
}

/**
 * What INVITE and non-INVITE client transactions share: the request, where it goes, the
 * branch key, the per-transaction timers, and `final`, which always resolves (with a real
 * final response or a synthetic 408/503).
 */
export abstract class ClientTransaction extends EventEmitter<ClientTransactionEvents> {
  /** The request as sent (top Via included). */
  readonly request: SipRequest;
  readonly destination: Destination;
  /** Top Via branch. */
  readonly branch: string;
  /** Matching key: branch + CSeq method (RFC 3261 §17.1.3). */
  readonly key: string;
  readonly timers: TransactionTimers;
  /** Resolves with the first final response, or a synthetic 408/503 on failure. */
  readonly final: Promise<SipResponse>;
  /** Where the request was sent from (local address, connection); set once sent. */
  sentFrom: MessageSource | undefined;
  /** The failure, if there was one. */
  failure: TransactionFailure | undefined;
  protected readonly host: TransactionHost;
  #wire: Buffer | undefined;
  protected readonly reliable: boolean;
  readonly #lifecycle: TransactionLifecycle<ClientTransactionState, 'A' | 'B' | 'D' | 'E' | 'F' | 'K' | 'M'>;
  #resolveFinal: (response: SipResponse) => void = () => undefined;

  protected constructor(init: { request: SipRequest; destination: Destination; branch: string; timers: TransactionTimers; host: TransactionHost; initialState: ClientTransactionState }) {
    super();
    this.request = init.request;
    this.destination = init.destination;
    this.branch = init.branch;
    this.key = clientTransactionKey(init.branch, init.request.method);
    this.timers = init.timers;
    this.host = init.host;
    this.reliable = isReliableTransport(init.destination.transport);
    this.#lifecycle = new TransactionLifecycle(init.initialState, () => {
      this.host.forget(this);
      this.emit('terminated');
    });
    this.final = new Promise((resolve) => {
      this.#resolveFinal = resolve;
    });
  }

  /** The request bytes, serialized once at the first send (after the layer added the top Via). */
  protected get wire(): Buffer {
    this.#wire ??= serializeMessage(this.request);
    return this.#wire;
  }

  /** Ends the transaction as a transport failure before or after sending (e.g. no route). */
  abort(cause: unknown): void {
    this.fail('transport-error', undefined, cause);
  }

  /** The RFC state. */
  get state(): ClientTransactionState {
    return this.#lifecycle.state;
  }

  /** The timers of this transaction. */
  protected get timerSet(): TimerSet<'A' | 'B' | 'D' | 'E' | 'F' | 'K' | 'M'> {
    return this.#lifecycle.timers;
  }

  /** Sends the request and starts the timers. Called once by the transaction layer. */
  abstract start(): void;

  /** Hands a response matched to this transaction (by branch and method). */
  abstract receive(response: SipResponse): void;

  /** Stops everything without telling the remote side (endpoint shutdown). */
  terminate(): void {
    this.enter('terminated');
  }

  protected enter(state: ClientTransactionState): void {
    this.#lifecycle.enter(state);
  }

  protected settle(response: SipResponse): void {
    // A final response ends the request's retransmissions: its bytes are not needed any more.
    this.#wire = undefined;
    this.#resolveFinal(response);
  }

  /** Sends (or resends) the request; a transport failure ends the transaction with a 503. */
  protected transmit(): void {
    this.sendBytes(this.wire);
  }

  protected sendBytes(bytes: Buffer): void {
    this.host.transport.send(bytes, this.sentFrom?.connectionId === undefined ? this.destination : { ...this.destination, connectionId: this.sentFrom.connectionId }).then(
      (from) => {
        this.sentFrom ??= from;
      },
      (error: unknown) => this.fail('transport-error', undefined, error),
    );
  }

  /** Ends the transaction with a synthetic final response (Timer B/F or transport error). */
  protected fail(reason: TransactionFailure['reason'], timer: 'B' | 'F' | undefined, cause?: unknown): void {
    if (this.#lifecycle.state === 'terminated' || this.#lifecycle.state === 'completed' || this.#lifecycle.state === 'accepted') return;
    const status = reason === 'timeout' ? 408 : 503;
    const message =
      reason === 'timeout'
        ? `Timer ${timer ?? ''} fired: no final response to ${this.request.method} (${this.branch})`
        : `Transport error sending ${this.request.method} (${this.branch})`;
    const error = new SipError(reason === 'timeout' ? 'transaction-timeout' : 'transport-error', message, { status, cause });
    const response = createResponse(this.request, status, status === 408 ? 'Request Timeout' : 'Service Unavailable');
    this.failure = { reason, ...(timer === undefined ? {} : { timer }), error, response };
    this.settle(response);
    this.emit('failure', this.failure);
    this.enter('terminated');
  }
}

/** The client transaction matching key (RFC 3261 §17.1.3): branch and CSeq method. */
export function clientTransactionKey(branch: string, method: string): string {
  return `${branch}|${method.toUpperCase()}`;
}
