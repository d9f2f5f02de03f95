import { networkContains, type SipGeneral } from '@tandem/config';
import type { Destination } from '@tandem/sip';
import { normalizeIp } from './ip-address.js';
import type { RequestSender } from './request-sender.js';

/** The address and port we write in Via, Contact, From and Call-ID toward a destination. */
export interface OurAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * chan_sip ast_sip_ouraddrfor(): the local address toward `destination`, replaced by
 * `externaddr` when `localnet` is set and the destination is outside every local network
 * (IPv6 destinations are never remapped); the port is externaddr's, else the listener's
 * (`externtcpport`/`externtlsport` for TCP/TLS).
 */
export async function ourAddressFor(sender: RequestSender, general: SipGeneral, destination: Destination): Promise<OurAddress> {
  const local = await sender.transport.localEndpointFor(destination);
  const external = general.externaddr;
  const target = normalizeIp(destination.address);
  if (external === undefined || general.localnet.length === 0 || target.includes(':')) {
    return { address: local.address, port: local.port };
  }
  if (general.localnet.some((network) => networkContains(network, target))) {
    return { address: local.address, port: local.port };
  }
  const transportPort =
    destination.transport === 'tcp' ? general.externtcpport : destination.transport === 'tls' ? general.externtlsport : undefined;
  return { address: external.host, port: external.port ?? transportPort ?? local.port };
}

/** `host` or `host:port` as chan_sip writes it: the port left out when it is the standard one. */
export function hostWithPort(address: string, port: number, transport: Destination['transport']): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  const standard = transport === 'tls' ? 5061 : 5060;
  return port === standard ? host : `${host}:${port}`;
}
