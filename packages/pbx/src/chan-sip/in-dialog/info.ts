import { dtmfFromInfo, isDtmfInfo } from '../dtmf-info.js';
import { relayDigit } from '../dtmf-relay.js';
import type { SipRequest } from '@tandem/sip';
import type { InDialogHandler } from './in-dialog-handler.js';

/** How an INFO is answered, or `dtmf` for a digit the call takes (when it still has a channel). */
export type InfoAnswer = 'dtmf' | { readonly status: number; readonly reason: string; readonly unparsed?: true };

/**
 * INFO (chan_sip (Asterisk 20): handle_request_info()): hook flash and picture-update
 * requests are acknowledged; Snom's X-ClientCode is accepted only with `useclientcode`; a
 * `Record:` request is refused (no one-touch recording); an empty INFO is a keepalive (200);
 * any other body gets 415.
 */
export function answerInfo(request: SipRequest, useclientcode: boolean): InfoAnswer {
  const type = request.contentType?.mediaType ?? '';
  if (type === 'application/hook-flash') return { status: 200, reason: 'OK' };
  if (isDtmfInfo(request)) return 'dtmf';
  if (type === 'application/media_control+xml') return { status: 200, reason: 'OK' };
  if ((request.headers.get('X-ClientCode') ?? '') !== '') return useclientcode ? { status: 200, reason: 'OK' } : { status: 403, reason: 'Forbidden' };
  if ((request.headers.get('Record') ?? '') !== '') return { status: 403, reason: 'Forbidden' };
  if (request.body.length === 0) return { status: 200, reason: 'OK' };
  return { status: 415, reason: 'Unsupported media type', unparsed: true };
}

/** chan_sip's warning for an INFO body it does not know. */
export function unparsedInfoWarning(request: SipRequest): string {
  return `Unable to parse INFO message from ${request.callId}. Content ${request.contentType?.mediaType ?? ''}`;
}

/**
 * INFO in a call: DTMF (`application/dtmf-relay`, `application/vnd.nortelnetworks.digits`,
 * `application/dtmf`) reaches whatever the call is doing — the other leg of a bridge gets it
 * per its own dtmfmode, an application reads it like a digit from the media; the rest is
 * answered per {@link answerInfo}.
 */
export const handleInfo: InDialogHandler = (channel, request, reply) => {
  const answer = answerInfo(request, channel.settings.useclientcode);
  if (answer !== 'dtmf') {
    if (answer.unparsed === true) channel.logger.warn({ channel: channel.name }, unparsedInfoWarning(request));
    reply(answer.status, answer.reason);
    return;
  }
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
};
