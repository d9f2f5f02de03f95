import type { OutOfDialogHandler } from './out-of-dialog-handler.js';

/** BYE, CANCEL, UPDATE, INFO, PRACK outside a dialog: 481 (reference §10.13). */
export const answerNoDialog: OutOfDialogHandler = (sip, request, transaction) => {
  sip.reply(transaction, 481, 'Call leg/transaction does not exist');
};
