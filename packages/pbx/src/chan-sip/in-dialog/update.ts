import type { SipRequest } from '@tandem/sip';
import type { InDialogHandler, InDialogReply } from './in-dialog-handler.js';

/**
 * UPDATE (chan_sip (Asterisk 20): handle_request_update()): chan_sip takes an UPDATE only as
 * Asterisk's own connected-line update (`X-Asterisk-rpid-update`) and answers anything else
 * 501 — UPDATE is not in its Allow list, so a session refresh by UPDATE is refused as well.
 */
export const handleUpdate: InDialogHandler = (_channel, request, reply) => answerUpdate(request, reply);

/** The answer to an UPDATE, whether the call still has a channel or not. */
export function answerUpdate(request: SipRequest, reply: InDialogReply): void {
  if ((request.headers.get('X-Asterisk-rpid-update') ?? '') === '') {
    reply(501, 'Method Not Implemented');
    return;
  }
  reply(200, 'OK');
}
