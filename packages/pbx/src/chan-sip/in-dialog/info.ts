import { dtmfFromInfo, isDtmfInfo } from '../dtmf-info.js';
import { relayDigit } from '../dtmf-relay.js';
import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * INFO (chan_sip (Asterisk 20): handle_request_info()): DTMF (`application/dtmf-relay`,
 * `application/vnd.nortelnetworks.digits`, `application/dtmf`) reaches whatever the call is
 * doing — the other leg of a bridge gets it per its own dtmfmode, an application reads it like
 * a digit from the media; hook flash and picture-update requests are acknowledged; Snom's
 * X-ClientCode is accepted only with `useclientcode`; a `Record:` request is refused (no
 * one-touch recording); an empty INFO is a keepalive (200); any other body gets 415.
 */
export const handleInfo: InDialogHandler = (channel, request, reply) => {
  const type = request.contentType?.mediaType ?? '';
  if (type === 'application/hook-flash') {
    reply(200, 'OK');
    return;
  }
  if (isDtmfInfo(request)) {
    if (channel.isHungUp) {
      // chan_sip: DTMF for a dialog without a channel ("not a PBX call").
      reply(481, 'Call leg/transaction does not exist');
      return;
    }
    const event = dtmfFromInfo(request);
    if (event !== undefined && 'digit' in event) {
      if (!relayDigit(channel, event.digit, event.durationMs)) channel.session.endpoint.receiveDtmf(event.digit, event.durationMs);
    }
    reply(200, 'OK');
    return;
  }
  if (type === 'application/media_control+xml') {
    reply(200, 'OK');
    return;
  }
  if ((request.headers.get('X-ClientCode') ?? '') !== '') {
    if (channel.settings.useclientcode) reply(200, 'OK');
    else reply(403, 'Forbidden');
    return;
  }
  if ((request.headers.get('Record') ?? '') !== '') {
    reply(403, 'Forbidden');
    return;
  }
  if (request.body.length === 0) {
    reply(200, 'OK');
    return;
  }
  channel.logger.warn({ channel: channel.name }, `Unable to parse INFO message from ${request.callId}. Content ${type}`);
  reply(415, 'Unsupported media type');
};
