import { createResponse } from '@tandem/sip';
import type { OutOfDialogHandler } from './out-of-dialog-handler.js';
import { checkCaller } from '../device-matching.js';
import { ALLOWED_METHODS, supportedExtensions } from '../sip-constants.js';

/**
 * An out-of-dialog OPTIONS (chan_sip (Asterisk 20): handle_request_options()): 200 when the
 * Request-URI user exists in the context (reference §10.15), 484 when it could still match,
 * 404 otherwise; with `auth_options_requests=yes` the sender is authenticated first.
 */
export const handleOptions: OutOfDialogHandler = async (sip, request, transaction) => {
  const general = sip.general;
  let context = general.deviceDefaults.context;
  if (general.authOptionsRequests && request.source !== undefined) {
    const check = await checkCaller(sip, request, request.source);
    if (check.outcome !== 'accepted') {
      transaction.respond(check.response);
      return;
    }
    if (check.peer !== undefined) context = check.peer.settings.context;
  }
  const user = request.requestUri?.user ?? '';
  const dialplan = sip.engine.dialplan;
  let status = 404;
  let reason = 'Not Found';
  if (user !== '' && dialplan.exists(context, user, 1)) {
    status = 200;
    reason = 'OK';
  } else if (user !== '' && dialplan.matchMore(context, user)) {
    status = 484;
    reason = 'Address Incomplete';
  }
  const response = createResponse(request, status, reason, { toTag: sip.registrar.authenticator.dialogTag(request) });
  response.headers.add('Server', general.useragent);
  response.headers.add('Allow', ALLOWED_METHODS);
  response.headers.add('Accept', 'application/sdp');
  response.headers.add('Supported', supportedExtensions(general.deviceDefaults.sessionTimers.mode !== 'refuse'));
  transaction.respond(response);
};
