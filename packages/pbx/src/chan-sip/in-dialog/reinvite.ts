import { parseSdp } from '@tandem/sip';
import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * A re-INVITE (chan_sip handle_request_invite() on an existing dialog): a new offer is
 * negotiated against the codec in use and answered with our current description.
 */
export const handleReinvite: InDialogHandler = (channel, request, reply) => {
  if (request.body.length > 0) {
    try {
      const preferred = channel.session.primaryCodec;
      if (channel.session.acceptOffer(parseSdp(request.body), preferred === undefined ? [] : [preferred]) !== undefined) {
        reply(488, 'Not acceptable here');
        return;
      }
    } catch {
      reply(488, 'Not acceptable here');
      return;
    }
  }
  reply(200, 'OK', { type: 'application/sdp', body: channel.session.describe() });
};
