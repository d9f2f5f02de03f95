import type { SipError } from '../sip-error.js';
import { parseMessage } from '../message/parse-message.js';
import type { SipMessage } from '../message/sip-message.js';
import type { LocalEndpoint } from '../transport/sip-transport-layer.js';
import type { Destination, MessageSource } from '../transport/transport-types.js';
import type { TransactionLayerTransport } from '../transaction/transaction-layer.js';

/** One message a {@link FakeTransport} was asked to send. */
export interface SentMessage {
  readonly bytes: Buffer;
  /** The bytes parsed back (undefined if they do not parse). */
  readonly message: SipMessage | undefined;
  readonly destination: Destination;
  /** `Date.now()` at the send (fake timers make it exact). */
  readonly at: number;
}

/**
 * A transport for transaction and TU tests: records every send instead of using sockets, can be
 * told to fail, and builds the {@link MessageSource} of messages the test injects.
 */
export class FakeTransport implements TransactionLayerTransport {
  /** Everything sent, in order. */
  readonly sent: SentMessage[] = [];
  /** The local address and port reported for Via and as the source of sends. */
  local: { address: string; port: number };
  /** When set, every send rejects with this error. */
  failSends: SipError | undefined;

  constructor(local: { address: string; port: number } = { address: '127.0.0.1', port: 5070 }) {
    this.local = local;
  }

  async send(bytes: Buffer, destination: Destination): Promise<MessageSource> {
    if (this.failSends !== undefined) throw this.failSends;
    const outcome = parseMessage(bytes);
    this.sent.push({ bytes, message: outcome.kind === 'message' ? outcome.message : undefined, destination, at: Date.now() });
    return {
      transport: destination.transport,
      remoteAddress: destination.address,
      remotePort: destination.port,
      localAddress: this.local.address,
      localPort: this.local.port,
      connectionId: destination.connectionId ?? `${destination.transport}-fake`,
    };
  }

  async localEndpointFor(destination: Pick<Destination, 'transport'>): Promise<LocalEndpoint> {
    return { transport: destination.transport, address: this.local.address, port: this.local.port };
  }

  /** A source as if `from` had sent to this transport. */
  sourceFrom(from: { transport?: Destination['transport']; address: string; port: number }): MessageSource {
    return {
      transport: from.transport ?? 'udp',
      remoteAddress: from.address,
      remotePort: from.port,
      localAddress: this.local.address,
      localPort: this.local.port,
      connectionId: `${from.transport ?? 'udp'}-fake`,
    };
  }

  /** Sent messages that are requests with this method (upper case). */
  requests(method: string): SentMessage[] {
    return this.sent.filter((entry) => entry.message?.kind === 'request' && entry.message.method.toUpperCase() === method.toUpperCase());
  }

  /** Sent messages that are responses with this status. */
  responses(status: number): SentMessage[] {
    return this.sent.filter((entry) => entry.message?.kind === 'response' && entry.message.status === status);
  }
}
