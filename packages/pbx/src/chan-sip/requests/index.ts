import { handleNewInvite } from './invite.js';
import { answerNoDialog } from './no-dialog.js';
import { handleOptions } from './options.js';
import type { OutOfDialogHandler } from './out-of-dialog-handler.js';
import { handleRegister } from './register.js';
import { handleMessage } from './message.js';
import { handleNotify } from './notify.js';
import { handlePublish } from './publish.js';
import { handleSubscribe } from './subscribe.js';

/** Out-of-dialog requests by method; a known method missing here is answered 501. */
export const outOfDialogHandlers: ReadonlyMap<string, OutOfDialogHandler> = new Map<string, OutOfDialogHandler>([
  ['INVITE', handleNewInvite],
  ['REGISTER', handleRegister],
  ['OPTIONS', handleOptions],
  ['MESSAGE', handleMessage],
  ['NOTIFY', handleNotify],
  ['PUBLISH', handlePublish],
  ['SUBSCRIBE', handleSubscribe],
  ['BYE', answerNoDialog],
  ['CANCEL', answerNoDialog],
  ['UPDATE', answerNoDialog],
  ['INFO', answerNoDialog],
  ['PRACK', answerNoDialog],
]);

export type { OutOfDialogHandler } from './out-of-dialog-handler.js';
