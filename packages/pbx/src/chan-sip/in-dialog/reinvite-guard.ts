import { readOptionTags, unsupportedHeaders } from '../sip-option-tags.js';
import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * What chan_sip (Asterisk 20: handle_request_invite()) checks on a re-INVITE before its media
 * is looked at, wrapped around the media handler: a required extension it does not support gets
 * 420 with `Unsupported`; a re-INVITE while ours awaits its answer is glare and gets 491
 * (RFC 3261 §14.2); then the session timer negotiates (400/422/420, handle_request_invite_st())
 * and restarts, since any re-INVITE refreshes the session (RFC 4028 §7.4). Until the party
 * acknowledges our answer, our own re-INVITEs wait.
 */
export function guardReinvite(handler: InDialogHandler): InDialogHandler {
  return async (channel, request, reply, transaction) => {
    const tags = readOptionTags(request);
    if (tags.unsupported.length > 0) {
      reply(420, 'Bad extension (unsupported)', undefined, unsupportedHeaders(tags.unsupported));
      return;
    }
    if (channel.isHungUp) {
      // The call is over; its dialog is only kept for retransmissions.
      reply(481, 'Call/Transaction Does Not Exist');
      return;
    }
    const signalling = channel.signalling;
    if (signalling.reinvites.awaitingAnswer) {
      reply(491, 'Request Pending');
      return;
    }
    signalling.reinvites.trackIncoming(transaction);
    const verdict = signalling.timer.negotiateInvite(request, tags, true);
    if (!verdict.ok) {
      reply(verdict.status, verdict.reason, undefined, verdict.headers);
      return;
    }
    signalling.timer.restart();
    await handler(channel, request, reply, transaction);
  };
}
