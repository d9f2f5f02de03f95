import { ipFamily, normalizeAddress } from '../transport/address-family.js';
import type { SipRequest } from './sip-message.js';
import { uriHostAddress } from './sip-uri.js';

/**
 * chan_sip's `nat=` as far as signalling goes: `no` (RFC 3581 only), `force_rport` (always answer
 * the packet's source), `auto_force_rport` (the default: force_rport when NAT is detected).
 */
export type NatPolicy = 'no' | 'force_rport' | 'auto_force_rport';

/**
 * chan_sip's NAT detection (`check_via()` + `check_for_nat()`): the top Via's sent-by address
 * differs from the packet's source address. A sent-by name counts as different (chan_sip would
 * resolve it; Tandem does not block on DNS here). False without a source or Via.
 */
export function natDetected(request: SipRequest): boolean {
  const source = request.source;
  if (source === undefined) return false;
  try {
    const host = uriHostAddress(request.topVia);
    return ipFamily(host) === 0 || normalizeAddress(host) !== normalizeAddress(source.remoteAddress);
  } catch {
    return false;
  }
}

/** True when responses must go to the source port and carry `;rport=` even if the Via did not ask. */
export function forcesRport(request: SipRequest, policy: NatPolicy): boolean {
  return policy === 'force_rport' || (policy === 'auto_force_rport' && natDetected(request));
}
