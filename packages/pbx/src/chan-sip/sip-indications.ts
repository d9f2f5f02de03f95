import type { Indication } from '@tandem/dialplan';

/** What a SIP channel knows when the dialplan asks it to indicate something. */
export interface IndicationContext {
  /** The call was answered (channel state Up). */
  readonly answered: boolean;
  /** We placed this call (chan_sip SIP_OUTGOING). */
  readonly outbound: boolean;
  /** A 183 Session Progress went out (SIP_PROGRESS_SENT). */
  readonly progressSent: boolean;
  /** A 180 Ringing went out (SIP_RINGING). */
  readonly ringingSent: boolean;
  /** The device's `progressinband`. */
  readonly progressInband: 'no' | 'yes' | 'never';
  /** The device's `allowoverlap`. */
  readonly allowOverlap: 'no' | 'yes' | 'dtmf';
}

/** What to do for one indication. */
export interface IndicationPlan {
  /** The response to the INVITE; `sdp` when it carries our description (183). */
  readonly response?: { readonly status: number; readonly reason: string; readonly sdp: boolean };
  /** Ends the call after the (final) response: chan_sip's sip_alreadygone() + soft hangup. */
  readonly hangUp?: boolean;
  /**
   * The tone the core plays in the audio because SIP cannot signal the condition
   * (main/channel.c indicate_data_internal(): ring, busy, congestion).
   */
  readonly tone?: 'ring' | 'busy' | 'congestion';
}

/**
 * chan_sip (Asterisk 20): sip_indicate(), with the core's fallback when it returns -1
 * (indicate_data_internal() emulates ringing, busy and congestion with tones).
 * Before the answer an inbound call gets 180/183/100 or a final 486/503/484/404 that ends it;
 * after the answer busy and congestion, and ringing that SIP can no longer signal, become tones.
 */
export function planIndication(indication: Indication, call: IndicationContext): IndicationPlan {
  const early = !call.answered && !call.outbound;
  switch (indication) {
    case 'ringing':
      if (early && (!call.progressSent || call.progressInband === 'never')) {
        const response = { status: 180, reason: 'Ringing', sdp: false };
        // progressinband=yes also plays the ring tone in the (not yet flowing) audio.
        return call.progressInband === 'yes' ? { response, tone: 'ring' } : { response };
      }
      return call.outbound && !call.answered ? {} : { tone: 'ring' };
    case 'busy':
      if (!call.answered) return early ? { response: { status: 486, reason: 'Busy Here', sdp: false }, hangUp: true } : {};
      return { tone: 'busy' };
    case 'congestion':
      if (!call.answered) return early ? { response: { status: 503, reason: 'Service Unavailable', sdp: false }, hangUp: true } : {};
      return { tone: 'congestion' };
    case 'incomplete':
      if (!early) return {};
      if (call.allowOverlap === 'yes') return { response: { status: 484, reason: 'Address Incomplete', sdp: false }, hangUp: true };
      // allowoverlap=dtmf waits for inband digits; no overlap support at all means 404.
      if (call.allowOverlap === 'dtmf') return {};
      return { response: { status: 404, reason: 'Not Found', sdp: false }, hangUp: true };
    case 'proceeding':
      return early && !call.progressSent ? { response: { status: 100, reason: 'Trying', sdp: false } } : {};
    case 'progress':
      if (!early || call.progressSent) return {};
      if (call.progressInband !== 'never') return { response: { status: 183, reason: 'Session Progress', sdp: true } };
      // progressinband=never sends 180 Ringing in place of a 183.
      return call.ringingSent ? {} : { response: { status: 180, reason: 'Ringing', sdp: false } };
    case 'hold':
    case 'unhold':
      return {};
  }
}
