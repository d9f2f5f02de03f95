import { handleBye } from './bye.js';
import type { InDialogHandler } from './in-dialog-handler.js';
import { handleInfo } from './info.js';
import { handleInDialogMessage } from './message.js';
import { handleInDialogNotify } from './notify.js';
import { handleInDialogOptions } from './options.js';
import { handleRefer } from './refer.js';
import { handleReinvite } from './reinvite.js';
import { guardReinvite } from './reinvite-guard.js';
import { handleUpdate } from './update.js';

/** In-dialog requests by method; a method missing here is answered 501. */
export const inDialogHandlers: ReadonlyMap<string, InDialogHandler> = new Map<string, InDialogHandler>([
  ['BYE', handleBye],
  ['INVITE', guardReinvite(handleReinvite)],
  ['INFO', handleInfo],
  ['OPTIONS', handleInDialogOptions],
  ['UPDATE', handleUpdate],
  ['MESSAGE', handleInDialogMessage],
  ['REFER', handleRefer],
  ['NOTIFY', handleInDialogNotify],
]);

export type { InDialogHandler, InDialogReply } from './in-dialog-handler.js';
