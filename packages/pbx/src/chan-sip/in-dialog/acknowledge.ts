import type { InDialogHandler } from './in-dialog-handler.js';

/** In-dialog OPTIONS and UPDATE without an offer: 200 OK. */
export const answerOk: InDialogHandler = (_channel, _request, reply) => {
  reply(200, 'OK');
};
