import type { TransportProtocol } from './transport-types.js';

/** A connection over a connection-oriented transport (TCP, TLS, WS, WSS). */
export interface SipConnection {
  /** Unique id, carried as `connectionId` by every message that arrives over it. */
  readonly id: string;
  readonly transport: TransportProtocol;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** True when the remote side opened it. */
  readonly inbound: boolean;
  /** True once open and until closed. */
  readonly open: boolean;
  /** Marks the connection authenticated: stops chan_sip's `tcpauthtimeout` countdown. */
  markAuthenticated(): void;
  /** Sends one whole message. */
  send(bytes: Buffer): Promise<void>;
  /** Closes the connection. */
  close(): void;
}

/** Settings shared by connection-oriented transports. */
export interface ConnectionLimits {
  /**
   * Largest message accepted on a stream; a larger one closes the connection (chan_sip rejects
   * "way too large" TCP/TLS packets and drops the session). Default 65535.
   */
  readonly maxMessageBytes?: number;
  /**
   * chan_sip `tcpauthtimeout` in ms: an inbound connection not marked authenticated within this
   * time is closed. Unset: no limit.
   */
  readonly authTimeoutMs?: number;
  /**
   * chan_sip `tcpauthlimit`: inbound TCP/TLS sessions not yet authenticated, at most; a new one
   * beyond it is closed at once. Unset: no limit.
   */
  readonly maxUnauthenticated?: number;
  /** Close any connection idle for this long (ms). Unset: never. */
  readonly idleTimeoutMs?: number;
}

/** Default for {@link ConnectionLimits.maxMessageBytes}. */
export const DEFAULT_MAX_MESSAGE_BYTES = 65_535;
