import type { InDialogHandler } from './in-dialog-handler.js';

/** BYE (chan_sip handle_request_bye()): 200, and the channel hangs up (cause 16). */
export const handleBye: InDialogHandler = (channel, _request, reply) => {
  reply(200, 'OK');
  channel.remoteHangup(16);
};
