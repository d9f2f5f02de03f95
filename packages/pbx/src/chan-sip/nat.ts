import type { MessageSource, SipRequest } from '@tandem/sip';

/**
 * chan_sip's NAT detection (Asterisk 20 check_via()): the top Via's sent-by differs from the
 * address the packet came from.
 */
export function natDetected(request: SipRequest, source: MessageSource): boolean {
  const via = request.vias[0];
  if (via === undefined) return false;
  const host = via.host.replace(/^\[|\]$/g, '').toLowerCase();
  const port = via.port ?? 5060;
  return host !== source.remoteAddress.toLowerCase() || port !== source.remotePort;
}
