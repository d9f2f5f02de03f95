import { formatCSeq } from '../message/cseq.js';
import { SipHeaders } from '../message/sip-headers.js';
import { SipRequest } from '../message/sip-message.js';

/**
 * A request that follows an INVITE inside its transaction (RFC 3261 §9.1 CANCEL, §17.1.1.3
 * non-2xx ACK): the INVITE's Request-URI, top Via only (same branch), Max-Forwards, Route set,
 * From, Call-ID and CSeq number; `to` is the INVITE's To (CANCEL) or the response's (ACK).
 */
export function inviteFollowUp(invite: SipRequest, method: 'CANCEL' | 'ACK', to: string, extraHeaders: Iterable<readonly [string, string]> = []): SipRequest {
  const headers = new SipHeaders();
  for (const name of ['Via', 'Max-Forwards']) {
    const value = invite.headers.get(name);
    if (value !== undefined) headers.add(name, value);
  }
  for (const route of invite.headers.getAll('Route')) headers.add('Route', route);
  headers.add('From', invite.headers.get('From') ?? '');
  headers.add('To', to);
  headers.add('Call-ID', invite.headers.get('Call-ID') ?? '');
  headers.add('CSeq', formatCSeq({ seq: invite.cseq.seq, method }));
  for (const [name, value] of extraHeaders) headers.add(name, value);
  return new SipRequest({ method, uri: invite.uri, headers });
}

/** The CANCEL for an INVITE (RFC 3261 §9.1), with extra header lines (e.g. `Reason`) last. */
export function buildCancel(invite: SipRequest, extraHeaders: Iterable<readonly [string, string]> = []): SipRequest {
  return inviteFollowUp(invite, 'CANCEL', invite.headers.get('To') ?? '', extraHeaders);
}
