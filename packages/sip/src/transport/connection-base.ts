import { SipError } from '../sip-error.js';
import { formatHostPort, normalizeAddress } from './address-family.js';
import type { ConnectionLimits, SipConnection } from './sip-connection.js';
import type { TransportProtocol } from './transport-types.js';
import type { TransportSink } from './udp-transport.js';

/** What every connection needs at creation. */
export interface ConnectionInit<T extends TransportProtocol> {
  readonly id: string;
  readonly transport: T;
  readonly remote: { readonly address: string; readonly port: number };
  readonly local: { readonly address: string; readonly port: number };
  readonly inbound: boolean;
  readonly sink: TransportSink;
  readonly limits: ConnectionLimits;
  readonly onClose: (connection: SipConnection) => void;
  /** An inbound connection was marked authenticated (once). */
  readonly onAuthenticated?: (connection: SipConnection) => void;
}

/**
 * What TCP, TLS and WebSocket connections share: identity, open state, chan_sip's
 * `tcpauthtimeout` countdown for inbound connections, delivery with the source attached.
 */
export abstract class ConnectionBase<T extends TransportProtocol> implements SipConnection {
  readonly id: string;
  readonly transport: T;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly inbound: boolean;
  protected readonly sink: TransportSink;
  readonly #onClose: (connection: SipConnection) => void;
  readonly #onAuthenticated: ((connection: SipConnection) => void) | undefined;
  #authenticated = false;
  #authTimer: NodeJS.Timeout | undefined;
  #open = true;

  protected constructor(init: ConnectionInit<T>) {
    this.id = init.id;
    this.transport = init.transport;
    this.inbound = init.inbound;
    this.sink = init.sink;
    this.#onClose = init.onClose;
    this.#onAuthenticated = init.onAuthenticated;
    this.remoteAddress = normalizeAddress(init.remote.address);
    this.remotePort = init.remote.port;
    this.localAddress = normalizeAddress(init.local.address);
    this.localPort = init.local.port;
    if (init.inbound && init.limits.authTimeoutMs !== undefined) {
      // chan_sip (Asterisk 20): sip_check_authtimeout() ends unauthenticated server sessions.
      this.#authTimer = setTimeout(() => this.close(), init.limits.authTimeoutMs);
      this.#authTimer.unref();
    }
  }

  get open(): boolean {
    return this.#open;
  }

  markAuthenticated(): void {
    clearTimeout(this.#authTimer);
    this.#authTimer = undefined;
    if (this.#authenticated) return;
    this.#authenticated = true;
    if (this.inbound) this.#onAuthenticated?.(this);
  }

  async send(bytes: Buffer): Promise<void> {
    if (!this.#open) throw new SipError('transport-closed', `${this.label()} is closed`);
    await new Promise<void>((resolve, reject) => {
      this.write(bytes, (error) => {
        if (error) reject(new SipError('transport-error', `${this.label()}: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  close(): void {
    if (!this.#open) return;
    this.destroyTransport();
    this.closed();
  }

  /** Writes one whole message. */
  protected abstract write(bytes: Buffer, done: (error?: Error | null) => void): void;

  /** Tears the underlying socket down. */
  protected abstract destroyTransport(): void;

  /** Hands a complete message to the sink with this connection as its source. */
  protected deliver(bytes: Buffer): void {
    this.sink.message(bytes, {
      transport: this.transport,
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
      localAddress: this.localAddress,
      localPort: this.localPort,
      connectionId: this.id,
    });
  }

  /** Reports a socket error as a `transport-error`. */
  protected reportError(error: Error): void {
    this.sink.error(new SipError('transport-error', `${this.label()}: ${error.message}`, { cause: error }));
  }

  /** Reports an oversized message and closes (chan_sip drops such TCP/TLS sessions). */
  protected rejectTooLarge(size: number): void {
    this.sink.error(new SipError('message-too-large', `${this.label()}: ${size} bytes, closing`, { status: 513 }));
    this.close();
  }

  /** Marks the connection closed once (socket close event or local close). */
  protected closed(): void {
    if (!this.#open) return;
    this.#open = false;
    clearTimeout(this.#authTimer);
    this.#onClose(this);
  }

  /** `TCP [::1]:5060 (tcp-3)` for messages. */
  protected label(): string {
    return `${this.transport.toUpperCase()} ${formatHostPort(this.remoteAddress, this.remotePort)} (${this.id})`;
  }
}
