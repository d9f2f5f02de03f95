import { isOnHold, parseSdp } from '@tandem/sip';
import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * A re-INVITE (chan_sip handle_request_invite() on an existing dialog): a new offer is
 * negotiated against the codec in use and answered with our current description.
 */
export const handleReinvite: InDialogHandler = (channel, request, reply) => {
  if (request.body.length > 0) {
    try {
      const preferred = channel.session.primaryCodec;
      const sdp = parseSdp(request.body);
      if (channel.session.acceptOffer(sdp, preferred === undefined ? [] : [preferred]) !== undefined) {
        reply(488, 'Not acceptable here');
        return;
      }
      // chan_sip change_hold_state(): the peer's on-hold count follows (notifyhold=yes).
      const audio = sdp.media.find((line) => line.type === 'audio');
      if (audio !== undefined) channel.counters.hold(isOnHold(audio), channel.services.general.notifyhold);
    } catch {
      reply(488, 'Not acceptable here');
      return;
    }
  }
  reply(200, 'OK', { type: 'application/sdp', body: channel.answerSdp() });
};
