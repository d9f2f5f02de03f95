/** Transports chan_sip speaks (`transport=udp,tcp,tls,ws,wss`). */
export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** Where a message came from: carried by every message a transport delivers. */
export interface MessageSource {
  readonly transport: TransportProtocol;
  /** Sender address without IPv6 brackets. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Our address the message arrived on (without brackets). */
  readonly localAddress: string;
  readonly localPort: number;
  /** Connection the message came over (connection-oriented transports only). */
  readonly connectionId?: string;
}

/** Where to send a message: an address and port, a transport, and optionally a connection. */
export interface Destination {
  readonly transport: TransportProtocol;
  /** Address without IPv6 brackets (a resolved IP; names are resolved by `dns/`). */
  readonly address: string;
  readonly port: number;
  /** Reuse this connection when it is still open (replies go back over the request's connection). */
  readonly connectionId?: string;
}

/** Transports whose delivery is reliable: no retransmissions, no Timer D/I/K waits (RFC 3261 §17). */
export function isReliableTransport(transport: TransportProtocol): boolean {
  return transport !== 'udp';
}

/** True for TLS and WSS (the `sips:` and dialog secure flag side). */
export function isSecureTransport(transport: TransportProtocol): boolean {
  return transport === 'tls' || transport === 'wss';
}

/** The Via transport token for a transport (`SIP/2.0/<token>`). */
export function viaTransportToken(transport: TransportProtocol): string {
  return transport.toUpperCase();
}

/** The default port for a transport: 5060, 5061 for TLS (RFC 3261 §19.1.2), 80/443 for WS/WSS (RFC 7118 §5). */
export function defaultPort(transport: TransportProtocol): number {
  switch (transport) {
    case 'udp':
    case 'tcp':
      return 5060;
    case 'tls':
      return 5061;
    case 'ws':
      return 80;
    case 'wss':
      return 443;
  }
}
