import { answerNotify } from '../notify-events.js';
import type { InDialogHandler } from './in-dialog-handler.js';

/**
 * A NOTIFY inside a call (chan_sip handle_request_notify()): REFER progress, keep-alives, and
 * unsolicited MWI from the device's address (its `unsolicited_mailbox`).
 */
export const handleInDialogNotify: InDialogHandler = (channel, request, reply) => {
  const mailbox = channel.peer?.settings.unsolicitedMailbox;
  const answer = answerNotify(request, mailbox, channel.services.mailboxes);
  reply(answer.status, answer.reason);
  // handle_request_notify(): a refer NOTIFY's sipfrag tells how our REFER (Transfer()) went.
  if (answer.status === 200 && /^refer\b/i.test(request.headers.get('Event') ?? '')) channel.referProgress(request.bodyText);
};
