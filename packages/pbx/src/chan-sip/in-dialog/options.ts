import type { InDialogHandler, InDialogReply } from './in-dialog-handler.js';

/**
 * OPTIONS inside a call (chan_sip (Asterisk 20): handle_request_options() with `lastinvite`
 * set): 200 with `Accept: application/sdp`, confirming the dialog exists.
 */
export const handleInDialogOptions: InDialogHandler = (_channel, _request, reply) => answerInDialogOptions(reply);

/** The answer to an OPTIONS in a dialog, whether the call still has a channel or not. */
export function answerInDialogOptions(reply: InDialogReply): void {
  reply(200, 'OK', undefined, [['Accept', 'application/sdp']]);
}
