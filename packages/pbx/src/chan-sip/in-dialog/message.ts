import { messageBody } from '../requests/message.js';
import { SipChannel } from '../sip-channel.js';
import type { SipRequest } from '@tandem/sip';
import type { InDialogHandler, InDialogReply } from './in-dialog-handler.js';

/**
 * Sends text to the party of a call as a MESSAGE inside its dialog (chan_sip sip_sendtext():
 * `text/plain;charset=UTF-8`). False when the call has no confirmed dialog.
 */
export function sendTextInDialog(channel: SipChannel, text: string): boolean {
  const dialog = channel.dialog;
  if (dialog === undefined || dialog.state !== 'confirmed' || channel.isHungUp) return false;
  channel.sendInDialog(dialog.createRequest('MESSAGE', { contentType: 'text/plain;charset=UTF-8', body: text }));
  return true;
}

/**
 * A MESSAGE inside a call (chan_sip receive_message() with an owner): `text/plain` only (415),
 * answered 202; the text goes on to the channel bridged with this one, which sends it to its
 * party when it is a SIP call.
 */
export const handleInDialogMessage: InDialogHandler = (channel, request, reply) => {
  if (!answerInDialogMessage(request, reply)) return;
  const other = channel.bridgedWith;
  if (other instanceof SipChannel) sendTextInDialog(other, messageBody(request));
};

/** Answers a MESSAGE in a dialog: 415 unless `text/plain`, else 202; true when the text is to be passed on. */
export function answerInDialogMessage(request: SipRequest, reply: InDialogReply): boolean {
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!contentType.trimStart().startsWith('text/plain')) {
    reply(415, 'Unsupported Media Type');
    return false;
  }
  reply(202, 'Accepted');
  return true;
}
