import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * OPTIONS inside a call (chan_sip (Asterisk 20): handle_request_options() with `lastinvite`
 * set): 200 with `Accept: application/sdp`, confirming the dialog exists.
 */
export const handleInDialogOptions: InDialogHandler = (_channel, _request, reply) => {
  reply(200, 'OK', undefined, [['Accept', 'application/sdp']]);
};
