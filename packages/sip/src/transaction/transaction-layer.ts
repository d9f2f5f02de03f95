import { randomUUID } from 'node:crypto';
import { generateBranch, BRANCH_MAGIC_COOKIE } from '../message/random-ids.js';
import { serializeMessage } from '../message/serialize-message.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message.js';
import { formatHost } from '../message/sip-uri.js';
import { viaBranch } from '../message/via.js';
import type { LocalEndpoint } from '../transport/sip-transport-layer.js';
import type { NatPolicy } from '../message/nat-policy.js';
import { viaTransportToken, type Destination, type MessageSource } from '../transport/transport-types.js';
import { buildCancel } from './cancel-request.js';
import { clientTransactionKey, type ClientTransaction } from './client-transaction.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { responseDestination, sentBy } from './response-destination.js';
import type { ServerTransaction } from './server-transaction.js';
import type { TransactionHost, TransactionTransport } from './transaction-host.js';
import { timersFromT1, type TransactionTimers } from './transaction-timers.js';

/** What the transaction layer needs from the transports. */
export interface TransactionLayerTransport extends TransactionTransport {
  /** Address and port for the top Via toward a destination. */
  localEndpointFor(destination: Pick<Destination, 'transport' | 'address' | 'connectionId'>): Promise<LocalEndpoint>;
}

/** Options of {@link TransactionLayer}. */
export interface TransactionLayerOptions {
  /** Default timers (server transactions, and client ones sent without their own). Default: T1 = 500 ms. */
  readonly timers?: TransactionTimers;
  /** chan_sip `nat=` for where responses go (default `auto_force_rport`); see `responseDestination`. */
  readonly nat?: NatPolicy;
  /**
   * The sent-by of our Via toward a destination, from the local endpoint the transports chose
   * (chan_sip ast_sip_ouraddrfor(): `externaddr` toward parties outside `localnet`). Default:
   * the local endpoint itself.
   */
  readonly viaAddress?: (destination: Destination, local: LocalEndpoint) => Promise<LocalEndpoint> | LocalEndpoint;
}

/** Options of {@link TransactionLayer.sendRequest}. */
export interface SendRequestOptions {
  /** This transaction's timers (chan_sip's per-peer `timert1`/`timerb`: see `timersFromT1`). */
  readonly timers?: TransactionTimers;
  /** Add `;rport` to our Via (RFC 3581; chan_sip does when force_rport applies). */
  readonly rport?: boolean;
}

/** Receives new requests (never ACK or CANCEL; the layer handles those). */
export type RequestHandler = (request: SipRequest, transaction: ServerTransaction) => void;
/** Receives ACKs for 2xx (with the INVITE transaction they acknowledge, when it is still known) and stray ACKs. */
export type AckHandler = (ack: SipRequest, invite: InviteServerTransaction | undefined) => void;
/** Receives responses that match no client transaction (2xx retransmissions after it ended). */
export type StrayResponseHandler = (response: SipResponse) => void;

/**
 * RFC 3261 §17 transaction layer: matches requests and responses to transactions, creates
 * server transactions for new requests, answers CANCEL (200, or 481 without a matching INVITE)
 * and routes 2xx ACKs, and starts client transactions with a fresh top Via.
 */
export class TransactionLayer implements TransactionHost {
  readonly transport: TransactionLayerTransport;
  readonly #timers: TransactionTimers;
  readonly #nat: NatPolicy;
  readonly #viaAddress: TransactionLayerOptions['viaAddress'];
  readonly #client = new Map<string, ClientTransaction>();
  readonly #server = new Map<string, ServerTransaction>();
  readonly #awaitingAck = new Map<string, InviteServerTransaction>();
  /** The `#awaitingAck` key of each INVITE server transaction, to forget it in O(1). */
  readonly #ackKeys = new Map<InviteServerTransaction, string>();
  /** INVITE server transactions by Call-ID, CSeq number and From tag (CANCEL fallback). */
  readonly #invitesByCall = new Map<string, InviteServerTransaction>();
  #onRequest: RequestHandler | undefined;
  #onAck: AckHandler | undefined;
  #onStrayResponse: StrayResponseHandler | undefined;

  constructor(transport: TransactionLayerTransport, options: TransactionLayerOptions = {}) {
    this.transport = transport;
    this.#timers = options.timers ?? timersFromT1();
    this.#nat = options.nat ?? 'auto_force_rport';
    this.#viaAddress = options.viaAddress;
  }

  /** The default timers. */
  get timers(): TransactionTimers {
    return this.#timers;
  }

  /** Sets the handler of new requests. */
  onRequest(handler: RequestHandler): void {
    this.#onRequest = handler;
  }

  /** Sets the handler of 2xx ACKs and stray ACKs. */
  onAck(handler: AckHandler): void {
    this.#onAck = handler;
  }

  /** Sets the handler of responses matching no transaction. */
  onStrayResponse(handler: StrayResponseHandler): void {
    this.#onStrayResponse = handler;
  }

  /** Live client transactions. */
  get clientTransactionCount(): number {
    return this.#client.size;
  }

  /** Live server transactions. */
  get serverTransactionCount(): number {
    return this.#server.size;
  }

  forget(transaction: { readonly key: string }): void {
    if (this.#client.get(transaction.key) === transaction) this.#client.delete(transaction.key);
    if (this.#server.get(transaction.key) === transaction) this.#server.delete(transaction.key);
    if (transaction instanceof InviteServerTransaction) {
      const ack = this.#ackKeys.get(transaction);
      if (ack !== undefined && this.#awaitingAck.get(ack) === transaction) this.#awaitingAck.delete(ack);
      this.#ackKeys.delete(transaction);
      if (this.#invitesByCall.get(transaction.cancelKey) === transaction) this.#invitesByCall.delete(transaction.cancelKey);
    }
  }

  /**
   * Starts a client transaction: inserts the top Via (`SIP/2.0/<T> <local>:<port>;branch=z9hG4bK…`
   * with a crypto-random branch, `;rport` when asked), sends, retransmits and times out per RFC
   * 3261 §17.1. Returned synchronously so listeners can be attached before anything happens.
   */
  sendRequest(request: SipRequest, destination: Destination, options: SendRequestOptions = {}): ClientTransaction {
    const branch = generateBranch();
    const init = { request, destination, branch, timers: options.timers ?? this.#timers, host: this };
    const transaction = request.method.toUpperCase() === 'INVITE' ? new InviteClientTransaction(init) : new NonInviteClientTransaction(init);
    this.#client.set(transaction.key, transaction);
    this.#insertVia(request, destination, branch, options.rport === true).then(
      () => transaction.start(),
      (error: unknown) => transaction.abort(error),
    );
    return transaction;
  }

  /**
   * Cancels an INVITE client transaction (RFC 3261 §9.1): the CANCEL goes out now if a
   * provisional response arrived, after the first one otherwise, never after a final response.
   */
  cancel(invite: InviteClientTransaction, extraHeaders: Iterable<readonly [string, string]> = []): void {
    invite.requestCancel(() => {
      const request = buildCancel(invite.request, extraHeaders);
      const connectionId = invite.sentFrom?.connectionId;
      const destination = connectionId === undefined ? invite.destination : { ...invite.destination, connectionId };
      const cancel = new NonInviteClientTransaction({ request, destination, branch: invite.branch, timers: invite.timers, host: this });
      this.#client.set(cancel.key, cancel);
      cancel.start();
    });
  }

  /**
   * Sends a message outside any transaction (an ACK for a 2xx, a stateless reply). A request
   * without a Via gets one with a fresh branch.
   */
  async sendStateless(message: SipMessage, destination: Destination, options: { readonly rport?: boolean } = {}): Promise<MessageSource> {
    if (message.kind === 'request' && !message.headers.has('Via')) {
      await this.#insertVia(message, destination, generateBranch(), options.rport === true);
    }
    return this.transport.send(serializeMessage(message), destination);
  }

  /** Answers a request statelessly (e.g. the 400/416 of `parseMessage`) at its response destination. */
  async respondStateless(request: SipRequest, response: SipResponse): Promise<MessageSource> {
    return this.transport.send(serializeMessage(response), responseDestination(request, { nat: this.#nat }));
  }

  /** A request from the transport (parsed, with its source). */
  receiveRequest(request: SipRequest): void {
    const method = request.method.toUpperCase();
    if (method === 'ACK') {
      this.#receiveAck(request);
      return;
    }
    const key = serverTransactionKey(request, method);
    const existing = this.#server.get(key);
    if (existing !== undefined) {
      existing.receiveRetransmission(request);
      return;
    }
    const destination = responseDestination(request, { nat: this.#nat });
    const base = { request, key, destination, timers: this.#timers, host: this };
    if (method === 'INVITE') {
      const invite = new InviteServerTransaction({ ...base, cancelKey: cancelKey(request), onFinal: (transaction, response) => this.#expectAck(transaction, response) });
      this.#server.set(key, invite);
      this.#invitesByCall.set(invite.cancelKey, invite);
      this.#deliver(request, invite);
      return;
    }
    const transaction = new NonInviteServerTransaction(base);
    this.#server.set(key, transaction);
    if (method === 'CANCEL') {
      // RFC 3261 §9.2: 200 to the CANCEL when it matches an INVITE transaction; the TU answers
      // the INVITE 487. chan_sip finds the call by Call-ID and tags, so a CANCEL whose branch
      // differs from the INVITE's still matches; one it cannot match gets 481.
      const invite = this.#server.get(serverTransactionKey(request, 'INVITE')) ?? this.#invitesByCall.get(cancelKey(request));
      if (invite instanceof InviteServerTransaction) {
        transaction.reply(200, 'OK');
        invite.receiveCancel(request);
      } else {
        transaction.reply(481, 'Call/Transaction Does Not Exist');
      }
      return;
    }
    this.#deliver(request, transaction);
  }

  /** A response from the transport; returns false when it matched no client transaction. */
  receiveResponse(response: SipResponse): boolean {
    let key: string;
    try {
      const branch = viaBranch(response.topVia);
      if (branch === undefined) throw new Error('no branch');
      key = clientTransactionKey(branch, response.cseq.method);
    } catch {
      this.#onStrayResponse?.(response);
      return false;
    }
    const transaction = this.#client.get(key);
    if (transaction === undefined) {
      this.#onStrayResponse?.(response);
      return false;
    }
    transaction.receive(response);
    return true;
  }

  /** Ends every transaction (shutdown). */
  close(): void {
    for (const transaction of [...this.#client.values()]) transaction.terminate();
    for (const transaction of [...this.#server.values()]) transaction.terminate();
    this.#awaitingAck.clear();
    this.#ackKeys.clear();
    this.#invitesByCall.clear();
  }

  #deliver(request: SipRequest, transaction: ServerTransaction): void {
    if (this.#onRequest === undefined) {
      transaction.reply(503, 'Service Unavailable');
      return;
    }
    try {
      this.#onRequest(request, transaction);
    } catch (error) {
      // A failing TU must not leave the request unanswered (it would be retransmitted to Timer F).
      if (transaction.state === 'trying' || transaction.state === 'proceeding') transaction.reply(500, 'Server Internal Error');
      throw error;
    }
  }

  #receiveAck(ack: SipRequest): void {
    // RFC 3261 §17.2.3: the ACK of a non-2xx carries the INVITE's branch.
    const invite = this.#server.get(serverTransactionKey(ack, 'INVITE'));
    if (invite instanceof InviteServerTransaction && invite.state !== 'accepted') {
      // chan_sip only takes the ACK whose CSeq is the INVITE's: an ACK for an older INVITE
      // leaves the final response retransmitting (the alwaysauthreject invite-3 flow).
      if (sameCSeq(ack, invite.cseq)) invite.receiveAck(ack);
      else this.#onAck?.(ack, undefined);
      return;
    }
    // The ACK of a 2xx is a new transaction: match it to the INVITE by dialog and CSeq. A
    // non-2xx ACK with another branch is matched the same way (chan_sip finds the dialog by
    // Call-ID and CSeq) and stays inside the transaction layer.
    const byDialog = this.#awaitingAck.get(ackKey(ack));
    if (byDialog !== undefined && byDialog.state === 'completed') {
      byDialog.receiveAck(ack);
      return;
    }
    const accepted = byDialog ?? (invite instanceof InviteServerTransaction ? invite : undefined);
    accepted?.receiveAck(ack);
    this.#onAck?.(ack, accepted);
  }

  #expectAck(transaction: InviteServerTransaction, response: SipResponse): void {
    const key = ackKey(response);
    this.#awaitingAck.set(key, transaction);
    this.#ackKeys.set(transaction, key);
  }

  async #insertVia(request: SipRequest, destination: Destination, branch: string, rport: boolean): Promise<void> {
    const endpoint = await this.transport.localEndpointFor(destination);
    const local = this.#viaAddress === undefined ? endpoint : await this.#viaAddress(destination, endpoint);
    const via = `SIP/2.0/${viaTransportToken(destination.transport)} ${formatHost(local.address)}:${local.port};branch=${branch}${rport ? ';rport' : ''}`;
    request.headers.prepend('Via', via);
  }
}

/**
 * The server transaction key (RFC 3261 §17.2.3): branch + sent-by + method (ACK and CANCEL look
 * for `INVITE`) when the branch has the magic cookie; otherwise the RFC 2543 fields (Request-URI,
 * From tag, Call-ID, CSeq number, top Via).
 */
export function serverTransactionKey(request: SipRequest, method: string): string {
  try {
    const via = request.topVia;
    const branch = viaBranch(via);
    if (branch?.startsWith(BRANCH_MAGIC_COOKIE) === true && branch.length > BRANCH_MAGIC_COOKIE.length) {
      return `${branch}|${sentBy(request)}|${method}`;
    }
    const fromTag = request.fromTag ?? '';
    return `2543|${request.uri}|${fromTag}|${request.callId}|${request.cseq.seq}|${request.headers.get('Via') ?? ''}|${method}`;
  } catch {
    // Unparsable Via/From/CSeq: a transaction nothing else can match.
    return `unmatched|${randomUUID()}`;
  }
}

/** Whether a request carries the CSeq number `seq` (an unparsable one never does). */
function sameCSeq(request: SipRequest, seq: number | undefined): boolean {
  try {
    return seq !== undefined && request.cseq.seq === seq;
  } catch {
    return false;
  }
}

/** Call-ID, CSeq number and From tag: how a CANCEL with another branch finds its INVITE. */
function cancelKey(request: SipRequest): string {
  try {
    return `${request.callId}|${request.cseq.seq}|${request.fromTag ?? ''}`;
  } catch {
    return `unmatched|${randomUUID()}`;
  }
}

/** Call-ID, CSeq number, From tag and To tag: how a 2xx ACK finds its INVITE. */
function ackKey(message: SipMessage): string {
  try {
    return `${message.callId}|${message.cseq.seq}|${message.fromTag ?? ''}|${message.toTag ?? ''}`;
  } catch {
    return `unmatched|${randomUUID()}`;
  }
}
