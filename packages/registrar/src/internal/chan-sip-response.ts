import { createResponse, type SipRequest, type SipResponse } from '@tandem/sip';

/** chan_sip's ALLOWED_METHODS (channels/sip/include/sip.h). */
export const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE';

/** What a chan_sip response carries besides the copied headers. */
export interface ChanSipResponseOptions {
  /** Our To tag (chan_sip `p->tag`), added when the request's To has none. */
  readonly toTag: string;
  /** The `Server:` text (`useragent=`); left out when empty. */
  readonly userAgent: string;
  /** `session-timers=refuse` leaves `timer` out of Supported. */
  readonly timerSupported: boolean;
  /** The peer uses Path (RFC 3327): `path` in Supported. */
  readonly pathSupported?: boolean;
  /** Fill `;rport=` in the top Via even when not asked (nat=force_rport). */
  readonly forceRport?: boolean;
}

/**
 * A response as chan_sip's respprep() builds it: Via (received/rport), Record-Route for
 * 1xx/2xx, From, To with our tag, Call-ID, CSeq, Server, Allow, Supported. Callers add
 * what follows (Expires, Contact, WWW-Authenticate, Date).
 */
export function chanSipResponse(request: SipRequest, status: number, reason: string, options: ChanSipResponseOptions): SipResponse {
  // The caller decided force_rport from the peer's nat= and the request (chan_sip set_peer_nat()).
  const response = createResponse(request, status, reason, { toTag: options.toTag, forceRport: options.forceRport === true });
  if (options.userAgent !== '') response.headers.add('Server', options.userAgent);
  response.headers.add('Allow', ALLOWED_METHODS);
  // chan_sip add_supported().
  response.headers.add('Supported', `replaces${options.timerSupported ? ', timer' : ''}${options.pathSupported === true ? ', path' : ''}`);
  return response;
}

/** chan_sip add_date(): `Date: Tue, 26 Nov 2024 08:25:01 GMT`. */
export function addDate(response: SipResponse, now: number = Date.now()): SipResponse {
  response.headers.add('Date', new Date(now).toUTCString());
  return response;
}
