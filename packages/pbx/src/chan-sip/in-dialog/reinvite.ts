import { parseSdp } from '@tandem/sip';
import { directMediaOf, type MediaChange } from '../../bridge/direct-media.js';
import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * A re-INVITE (chan_sip handle_request_invite() on an existing dialog): a new offer is
 * negotiated against the codec in use and answered with our current description (recvonly or
 * inactive when the party holds). Then, as chan_sip queues HOLD/UNHOLD and UPDATE_RTP_PEER to
 * the bridge, a directly bridged party follows: brought back to us on hold, pointed at the new
 * media address otherwise.
 */
export const handleReinvite: InDialogHandler = (channel, request, reply) => {
  const changes: MediaChange[] = [];
  if (request.body.length > 0) {
    const heldBefore = channel.session.hold !== undefined;
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
    const heldNow = channel.session.hold !== undefined;
    if (heldNow !== heldBefore) changes.push(heldNow ? 'hold' : 'unhold');
  }
  reply(200, 'OK', { type: 'application/sdp', body: channel.session.answer() });
  changes.push('update');
  const bridge = directMediaOf(channel);
  if (bridge === undefined) return;
  void (async () => {
    for (const change of changes) await bridge.partyChanged(channel, change);
  })();
};
