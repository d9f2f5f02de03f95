import type { SipRequest } from '@tandem/sip';
import type { InDialogHandler } from './in-dialog-handler.js';

/** The digit of an INFO with `application/dtmf-relay` (`Signal=5`) or `application/dtmf` (`5`). */
export function dtmfFromInfo(request: SipRequest): string | undefined {
  const type = request.contentType?.mediaType;
  const text = request.bodyText.trim();
  if (type === 'application/dtmf-relay') {
    const match = /Signal\s*=\s*([0-9A-D*#]|1[01])/i.exec(text);
    if (!match?.[1]) return undefined;
    return match[1] === '10' ? '*' : match[1] === '11' ? '#' : match[1].toUpperCase();
  }
  if (type === 'application/dtmf') {
    return /^[0-9A-D*#]$/i.test(text) ? text.toUpperCase() : text === '10' ? '*' : text === '11' ? '#' : undefined;
  }
  return undefined;
}

/** INFO (chan_sip handle_request_info()): DTMF relay bodies become digits on the channel. */
export const handleInfo: InDialogHandler = (channel, request, reply) => {
  const digit = dtmfFromInfo(request);
  if (digit !== undefined) channel.media.receiveDigit(digit);
  reply(200, 'OK');
};
