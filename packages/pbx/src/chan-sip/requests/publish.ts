import type { OutOfDialogHandler } from './out-of-dialog-handler.js';

/**
 * PUBLISH (chan_sip handle_request_publish()): chan_sip composes event state only for the
 * `call-completion` package, which Tandem does not offer, so every PUBLISH — with or without
 * an Event header — is answered `489 Bad Event`.
 */
export const handlePublish: OutOfDialogHandler = (sip, _request, transaction) => {
  sip.reply(transaction, 489, 'Bad Event');
};
