import { parseSdp } from '@tandem/sip';
import { directMediaOf, type MediaChange } from '../../bridge/direct-media.js';
import { holdEnded, holdStarted } from '../../bridge/hold-music.js';
import { endT38, passT38Offer } from '../../bridge/t38-passthrough.js';
import { SipChannel } from '../sip-channel.js';
import { readT38Stream } from '../t38-sdp.js';
import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * A re-INVITE (chan_sip handle_request_invite() on an existing dialog): a new offer is
 * negotiated against the codec in use and answered with our current description (recvonly or
 * inactive when the party holds). Then, as chan_sip queues HOLD/UNHOLD and UPDATE_RTP_PEER to
 * the bridge, the bridged party hears music on hold while this one holds, and a directly
 * bridged party follows: brought back to us on hold, pointed at the new media address otherwise.
 */
export const handleReinvite: InDialogHandler = async (channel, request, reply) => {
  const changes: MediaChange[] = [];
  const t38 = request.body.length > 0 ? readT38Stream(request.body.toString('utf8')) : undefined;
  const other = channel.bridgedWith;
  if (t38 !== undefined && other instanceof SipChannel) {
    // A switch to T.38 fax: passed to the bridged leg, answered with what it answered.
    const answer = await passT38Offer(channel, other, t38);
    if (answer === undefined) reply(488, 'Not acceptable here');
    else reply(200, 'OK', { type: 'application/sdp', body: answer });
    return;
  }
  // Not bridged to a SIP leg: a T.38 offer ends here, like any other offer (MediaSession.acceptOffer()).
  if (channel.session.t38 !== undefined) {
    // Back to audio from T.38: the fax is over for both legs.
    channel.session.t38 = undefined;
    endT38(channel);
  }
  if (request.body.length > 0) {
    const heldBefore = channel.session.hold !== undefined;
    try {
      const preferred = channel.session.primaryCodec;
      const sdp = parseSdp(request.body);
      if (channel.session.acceptOffer(sdp, preferred === undefined ? [] : [preferred]) !== undefined) {
        reply(488, 'Not acceptable here');
        return;
      }
    } catch {
      reply(488, 'Not acceptable here');
      return;
    }
    const heldNow = channel.session.hold !== undefined;
    // chan_sip change_hold_state(): the peer's on-hold count follows the hold process_sdp() saw (notifyhold=yes).
    channel.counters.hold(heldNow, channel.services.general.notifyhold);
    if (heldNow !== heldBefore) changes.push(heldNow ? 'hold' : 'unhold');
  }
  reply(200, 'OK', { type: 'application/sdp', body: channel.answerSdp() });
  if (changes.includes('hold')) holdStarted(channel, channel.settings.mohsuggest);
  if (changes.includes('unhold')) holdEnded(channel);
  changes.push('update');
  const bridge = directMediaOf(channel);
  if (bridge === undefined) return;
  void (async () => {
    for (const change of changes) await bridge.partyChanged(channel, change);
  })();
};
