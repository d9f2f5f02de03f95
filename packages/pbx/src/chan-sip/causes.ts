/**
 * chan_sip's mappings between SIP status codes and Q.850 hangup causes (Asterisk 20:
 * hangup_sip2cause(), hangup_cause2sip(); reference §5.5–5.6).
 */

/** The cause a final SIP response gives the leg that received it. */
export function causeFromSipStatus(status: number): number {
  switch (status) {
    case 401:
    case 403:
    case 407:
    case 603:
      return 21; // CALL_REJECTED
    case 404:
    case 485:
    case 604:
      return 1; // UNALLOCATED
    case 408:
      return 18; // NO_USER_RESPONSE
    case 409:
      return 41;
    case 410:
      return 22; // NUMBER_CHANGED
    case 420:
      return 3; // NO_ROUTE_DESTINATION
    case 480:
    case 483:
      return 19; // NO_ANSWER
    case 484:
      return 28; // INVALID_NUMBER_FORMAT
    case 486:
    case 600:
      return 17; // USER_BUSY
    case 488:
    case 606:
      return 58; // BEARERCAPABILITY_NOTAVAIL
    case 500:
      return 38; // NETWORK_OUT_OF_ORDER
    case 501:
      return 29; // FACILITY_REJECTED
    case 502:
      return 27; // DESTINATION_OUT_OF_ORDER
    case 503:
      return 34; // NORMAL_CIRCUIT_CONGESTION
    case 504:
      return 102; // RECOVERY_ON_TIMER_EXPIRE
    case 505:
      return 127; // INTERWORKING
    default:
      if (status >= 400 && status < 500) return 127; // INTERWORKING
      if (status >= 500 && status < 600) return 34; // NORMAL_CIRCUIT_CONGESTION
      if (status >= 600 && status < 700) return 127; // INTERWORKING
      return 16; // NORMAL_CLEARING
  }
}

/** The final response chan_sip sends an unanswered caller whose channel hangs up with `cause`. */
export function sipStatusFromCause(cause: number): { status: number; reason: string } {
  switch (cause) {
    case 1:
    case 2:
    case 3:
      return { status: 404, reason: 'Not Found' };
    case 17:
      return { status: 486, reason: 'Busy here' };
    case 18:
      return { status: 408, reason: 'Request Timeout' };
    case 19:
    case 20:
    case 31:
      return { status: 480, reason: 'Temporarily unavailable' };
    case 21:
      return { status: 403, reason: 'Forbidden' };
    case 22:
      return { status: 410, reason: 'Gone' };
    case 27:
      return { status: 502, reason: 'Bad Gateway' };
    case 28:
      return { status: 484, reason: 'Address incomplete' };
    case 29:
      return { status: 501, reason: 'Not Implemented' };
    case 34:
    case 42:
    case 66:
      return { status: 503, reason: 'Service Unavailable' };
    case 38:
      return { status: 500, reason: 'Server internal failure' };
    case 58:
      return { status: 488, reason: 'Not Acceptable Here' };
    case 127:
      return { status: 500, reason: 'Network error' };
    default:
      return { status: 603, reason: 'Declined' };
  }
}

/** How Dial classifies a final response to an outgoing INVITE (reference §5.5). */
export type OutgoingFailure = 'busy' | 'congestion' | 'unavailable' | 'cancelled';

/** chan_sip's indication for a failed outgoing INVITE. */
export function classifyFailure(status: number): OutgoingFailure {
  if (status === 486 || status === 600 || status === 603 || status === 480) return 'busy';
  if ([500, 502, 503, 504, 410, 482].includes(status)) return 'congestion';
  if (status >= 500 && status < 600 && status !== 501 && status !== 505) return 'congestion';
  if (status === 487) return 'cancelled';
  return 'unavailable';
}
