import { hostname } from 'node:os';
import type { SipDomain, SipGeneral } from '@tandem/config';
import type { Peer } from '@tandem/registrar';
import type { SipRequest } from '@tandem/sip';

/**
 * The local domain list (chan_sip `domain_list`): the `domain =` lines, and with
 * `autodomain=yes` the bind address (when not a wildcard), the TCP bind address, externaddr,
 * externhost and the host name.
 */
export function localDomains(general: SipGeneral): SipDomain[] {
  const domains = [...general.domains];
  if (general.autodomain) {
    const wildcard = (host: string): boolean => host === '' || host === '0.0.0.0' || host === '::';
    if (!wildcard(general.udpBindAddress.host)) domains.push({ domain: general.udpBindAddress.host });
    if (general.tcpEnabled && !wildcard(general.tcpBindAddress.host) && general.tcpBindAddress.host !== general.udpBindAddress.host) {
      domains.push({ domain: general.tcpBindAddress.host });
    }
    if (general.externaddr !== undefined) domains.push({ domain: general.externaddr.host });
    if (general.externhost !== undefined) domains.push({ domain: general.externhost });
    domains.push({ domain: hostname() });
  }
  return domains;
}

/** Where an INVITE goes after the domain checks of chan_sip get_destination(). */
export type DomainVerdict =
  /** The Request-URI is no sip:, sips: or tel: URI: `416 Unsupported URI scheme`. */
  | { readonly outcome: 'invalid-uri' }
  /** A foreign domain with `allowexternaldomains=no`: `403 Forbidden`. */
  | { readonly outcome: 'refused' }
  | { readonly outcome: 'context'; readonly context: string };

/**
 * The context of a request after chan_sip's domain handling (get_destination()): with a domain
 * list, a Request-URI host outside it is refused for INVITE and REFER when
 * `allowexternaldomains=no`; a listed domain with a context gives that context to guests and
 * to devices without a `context=` of their own (Tandem: whose context is `[general]`'s).
 */
export function destinationContext(general: SipGeneral, request: SipRequest, peer: Peer | undefined): DomainVerdict {
  const uri = request.requestUri;
  if (uri === undefined) return { outcome: 'invalid-uri' };
  const context = peer?.settings.context ?? general.deviceDefaults.context;
  const domains = localDomains(general);
  if (domains.length === 0 || uri.scheme === 'tel') return { outcome: 'context', context };
  const host = uri.host.replace(/^\[|\]$/g, '').toLowerCase();
  const local = domains.find((entry) => entry.domain.replace(/^\[|\]$/g, '').toLowerCase() === host);
  const method = request.method.toUpperCase();
  if (local === undefined && !general.allowexternaldomains && (method === 'INVITE' || method === 'REFER')) return { outcome: 'refused' };
  const ownContext = peer !== undefined && peer.settings.context !== general.deviceDefaults.context;
  if (!ownContext && local?.context !== undefined && local.context !== '') return { outcome: 'context', context: local.context };
  return { outcome: 'context', context };
}
