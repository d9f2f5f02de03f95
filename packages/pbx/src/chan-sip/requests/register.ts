import type { OutOfDialogHandler } from './out-of-dialog-handler.js';

/** REGISTER (chan_sip handle_request_register()): the registrar answers, or stays silent. */
export const handleRegister: OutOfDialogHandler = async (sip, request, transaction) => {
  const source = request.source;
  if (source === undefined) return;
  const response = await sip.registrar.handleRegister(request, source);
  if (response === undefined) return;
  // A refused registration (wrong password, unknown or misconfigured peer) counts towards
  // brute-force blocking; the registrar logged chan_sip's NOTICE.
  if (response.status === 403 || response.status === 404) sip.authFailures.recordFailure(source.remoteAddress);
  if (response.status === 200) sip.markAuthenticated(request);
  transaction.respond(response);
};
