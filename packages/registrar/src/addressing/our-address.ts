import { networkContains, type SipGeneral } from '@tandem/config';
import type { Destination } from '@tandem/sip';
import { normalizeIp } from '../internal/ip-address.js';
import type { RequestSender } from '../internal/request-sender.js';

/** The address and port we write in Via, Contact, From and Call-ID toward a destination. */
export interface OurAddress {
  readonly address: string;
  readonly port: number;
}

/** What the remapping reads from sip.conf `[general]`. */
export type ExternalAddressSettings = Pick<SipGeneral, 'externaddr' | 'externtcpport' | 'externtlsport' | 'localnet' | 'matchexternaddrlocally'>;

/**
 * chan_sip (Asterisk 20) ast_sip_ouraddrfor(): `local` (the address the kernel would send
 * from) replaced by `externaddr` when `localnet` is set, externaddr is known and the
 * destination is outside every local network; with `matchexternaddrlocally` only when our own
 * address is inside one. IPv6 destinations are never remapped. The port is externaddr's, else
 * `externtcpport`/`externtlsport` for TCP/TLS, else the listener's.
 * `externalHost` is the current address of `externhost`, which stands in for externaddr.
 */
export function externalAddressFor(
  general: ExternalAddressSettings,
  destination: Pick<Destination, 'transport' | 'address'>,
  local: OurAddress,
  externalHost?: string,
): OurAddress {
  const configured = general.externaddr;
  const externalAddress = configured?.host ?? externalHost;
  const target = normalizeIp(destination.address);
  if (externalAddress === undefined || externalAddress === '' || general.localnet.length === 0 || target.includes(':')) return local;
  const inside = (address: string): boolean => general.localnet.some((network) => networkContains(network, normalizeIp(address)));
  if (inside(target)) return local;
  if (general.matchexternaddrlocally && !inside(local.address)) return local;
  const configuredPort = configured?.port !== undefined && configured.port !== 0 ? configured.port : undefined;
  const transportPort =
    destination.transport === 'tcp' ? general.externtcpport ?? configuredPort : destination.transport === 'tls' ? general.externtlsport : configuredPort;
  return { address: externalAddress, port: transportPort ?? local.port };
}

/** {@link externalAddressFor} applied to the local endpoint the transports pick for `destination`. */
export async function ourAddressFor(sender: RequestSender, general: SipGeneral, destination: Destination): Promise<OurAddress> {
  const local = await sender.transport.localEndpointFor(destination);
  return externalAddressFor(general, destination, { address: local.address, port: local.port });
}

/** `host` or `host:port` as chan_sip writes it: the port left out when it is the standard one. */
export function hostWithPort(address: string, port: number, transport: Destination['transport']): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  const standard = transport === 'tls' ? 5061 : 5060;
  return port === standard ? host : `${host}:${port}`;
}
