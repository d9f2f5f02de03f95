import { EventEmitter } from 'node:events';
import { SipError } from '../sip-error.js';
import { createResponse } from '../message/create-response.js';
import { parseMessage, type DropReason } from '../message/parse-message.js';
import type { SipMessage, SipRequest } from '../message/sip-message.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { InviteClientTransaction } from '../transaction/invite-client-transaction.js';
import { sendWithFailover, type FailoverOptions, type FailoverResult } from '../transaction/send-with-failover.js';
import {
  TransactionLayer,
  type AckHandler,
  type RequestHandler,
  type SendRequestOptions,
  type StrayResponseHandler,
  type TransactionLayerOptions,
} from '../transaction/transaction-layer.js';
import { SipTransportLayer, type ListenOptions, type ListenerInfo, type TransportLayerOptions } from '../transport/sip-transport-layer.js';
import type { Destination, MessageSource } from '../transport/transport-types.js';

/** Events of {@link SipEndpoint}. */
export interface SipEndpointEvents {
  /** A message dropped without an answer, as chan_sip drops it. */
  dropped: [reason: DropReason, detail: string, source: MessageSource];
  /** A request answered 400/416 statelessly by the parser's verdict. */
  rejected: [status: number, detail: string, source: MessageSource];
  /** Asynchronous transport or delivery failures (never thrown). */
  transportError: [error: SipError];
}

/** Options of {@link SipEndpoint}. */
export interface SipEndpointOptions extends TransportLayerOptions, TransactionLayerOptions {
  /** Use these transports instead of creating a {@link SipTransportLayer}. */
  readonly transport?: SipTransportLayer;
}

/**
 * Transports plus the RFC 3261 transaction layer: parses what arrives (dropping or answering
 * 400/416 as chan_sip does), hands new requests to the TU with their server transaction, and
 * sends requests as client transactions.
 */
export class SipEndpoint extends EventEmitter<SipEndpointEvents> {
  readonly transport: SipTransportLayer;
  readonly transactions: TransactionLayer;

  constructor(options: SipEndpointOptions = {}) {
    super();
    this.transport = options.transport ?? new SipTransportLayer(options);
    this.transactions = new TransactionLayer(this.transport, options);
    this.transport.on('message', (bytes, source) => this.#receive(bytes, source));
    this.transport.on('transportError', (error) => this.emit('transportError', error));
  }

  /** Opens a listener (see {@link SipTransportLayer.listen}). */
  listen(options: ListenOptions): Promise<ListenerInfo> {
    return this.transport.listen(options);
  }

  /** Closes one listener (see {@link SipTransportLayer.closeListener}). */
  closeListener(id: string): Promise<boolean> {
    return this.transport.closeListener(id);
  }

  /** Sets the handler of new requests (ACK and CANCEL are handled by the transaction layer). */
  onRequest(handler: RequestHandler): void {
    this.transactions.onRequest(handler);
  }

  /** Sets the handler of ACKs for 2xx and stray ACKs. */
  onAck(handler: AckHandler): void {
    this.transactions.onAck(handler);
  }

  /** Sets the handler of responses matching no client transaction. */
  onStrayResponse(handler: StrayResponseHandler): void {
    this.transactions.onStrayResponse(handler);
  }

  /** Sends a request as a client transaction (see {@link TransactionLayer.sendRequest}). */
  sendRequest(request: SipRequest, destination: Destination, options?: SendRequestOptions): ClientTransaction {
    return this.transactions.sendRequest(request, destination, options);
  }

  /** Sends to each target in turn until one answers other than 503 or a failure (RFC 3263 §4.3). */
  sendWithFailover(request: SipRequest, targets: readonly Destination[], options?: FailoverOptions): Promise<FailoverResult> {
    return sendWithFailover(this.transactions, request, targets, options);
  }

  /** Cancels an INVITE client transaction (RFC 3261 §9.1). */
  cancel(invite: InviteClientTransaction, extraHeaders?: Iterable<readonly [string, string]>): void {
    this.transactions.cancel(invite, extraHeaders);
  }

  /** Sends a message outside transactions (an ACK for a 2xx gets a Via with a fresh branch). */
  sendStateless(message: SipMessage, destination: Destination, options?: { readonly rport?: boolean }): Promise<MessageSource> {
    return this.transactions.sendStateless(message, destination, options);
  }

  /** Ends every transaction and closes the transports. */
  async close(): Promise<void> {
    this.transactions.close();
    await this.transport.close();
  }

  #receive(bytes: Buffer, source: MessageSource): void {
    const outcome = parseMessage(bytes, { source });
    switch (outcome.kind) {
      case 'drop':
        this.emit('dropped', outcome.reason, outcome.detail, source);
        return;
      case 'reject':
        this.emit('rejected', outcome.status, outcome.detail, source);
        this.transactions.respondStateless(outcome.request, createResponse(outcome.request, outcome.status, outcome.reason)).catch((error: unknown) => {
          this.emit('transportError', new SipError('transport-error', `Cannot answer ${outcome.status}`, { cause: error }));
        });
        return;
      case 'message':
        try {
          if (outcome.message.kind === 'request') this.transactions.receiveRequest(outcome.message);
          else this.transactions.receiveResponse(outcome.message);
        } catch (error) {
          // A TU handler that throws must not take the transport down.
          this.emit('transportError', new SipError('transport-error', `Handling a message from ${source.remoteAddress} failed: ${(error as Error).message}`, { cause: error }));
        }
        return;
    }
  }
}
