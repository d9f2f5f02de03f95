import { SipError } from '../sip-error.js';
import { uriHostAddress } from '../message/sip-uri.js';
import type { SipRequest } from '../message/sip-message.js';
import { viaRport } from '../message/via.js';
import { defaultPort, type Destination } from '../transport/transport-types.js';
import { forcesRport, type NatPolicy } from '../message/nat-policy.js';

/**
 * Where responses to `request` go (RFC 3261 §18.2.2, RFC 3581 §4, chan_sip `respprep()` +
 * `check_via()` + `sip_real_dst()`): over the same connection for reliable transports; for UDP to
 * the packet's source address, at its source port when the top Via has `rport` or force_rport
 * applies (`nat=force_rport`, or `auto_force_rport` with NAT detected), else at the Via sent-by
 * port (5060 when absent), leaving from the socket the request arrived on.
 * @throws {@link SipError} `no-route` for a request without a transport source.
 */
export function responseDestination(request: SipRequest, options: { readonly nat?: NatPolicy } = {}): Destination {
  const source = request.source;
  if (source === undefined) throw new SipError('no-route', 'The request has no transport source to answer to');
  const connection = source.connectionId === undefined ? {} : { connectionId: source.connectionId };
  if (source.transport !== 'udp') {
    return { transport: source.transport, address: source.remoteAddress, port: source.remotePort, ...connection };
  }
  let port = source.remotePort;
  if (!forcesRport(request, options.nat ?? 'auto_force_rport')) {
    try {
      const via = request.topVia;
      if (viaRport(via) === undefined) port = via.port ?? defaultPort('udp');
    } catch {
      // No usable Via: answer the packet's source.
    }
  }
  return { transport: 'udp', address: source.remoteAddress, port, ...connection };
}

/** Sent-by of the top Via as `host:port` (port defaulted), for transaction keys. */
export function sentBy(request: SipRequest): string {
  const via = request.topVia;
  const transport = via.transport.toLowerCase();
  const port = via.port ?? (transport === 'tls' ? 5061 : 5060);
  return `${uriHostAddress(via).toLowerCase()}:${port}`;
}
