import { answerOk } from './acknowledge.js';
import { handleBye } from './bye.js';
import type { InDialogHandler } from './in-dialog-handler.js';
import { handleInfo } from './info.js';
import { handleReinvite } from './reinvite.js';

/** In-dialog requests by method; a method missing here is answered 501. */
export const inDialogHandlers: ReadonlyMap<string, InDialogHandler> = new Map<string, InDialogHandler>([
  ['BYE', handleBye],
  ['INVITE', handleReinvite],
  ['INFO', handleInfo],
  ['OPTIONS', answerOk],
  ['UPDATE', answerOk],
]);

export type { InDialogHandler, InDialogReply } from './in-dialog-handler.js';
