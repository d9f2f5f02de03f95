import type { SipRequest } from '@tandem/sip';
import { answerNotify } from '../notify-events.js';
import type { EndedCall } from '../ended-call.js';
import { readOptionTags, unsupportedHeaders } from '../sip-option-tags.js';
import type { InDialogReply } from './in-dialog-handler.js';
import { answerInfo, unparsedInfoWarning } from './info.js';
import { answerInDialogMessage } from './message.js';
import { answerInDialogOptions } from './options.js';
import { acceptableRefer, notifyReferResult, referContext } from './refer.js';
import { answerUpdate } from './update.js';

/** Answers a request in the dialog of a call that has ended (no channel any more). */
export type EndedCallHandler = (call: EndedCall, request: SipRequest, reply: InDialogReply) => void;

/**
 * In-dialog requests of an ended call, answered as the live handlers answer them once the
 * channel has hung up (chan_sip: a `sip_pvt` without owner, kept by sip_scheddestroy()); a
 * method missing here is answered 501.
 */
export const endedCallHandlers: ReadonlyMap<string, EndedCallHandler> = new Map<string, EndedCallHandler>([
  [
    'BYE',
    (call, _request, reply) => {
      // A retransmitted or late BYE: chan_sip still answers 200 (handle_request_bye()).
      reply(200, 'OK');
      call.dialog.terminate();
    },
  ],
  [
    'INVITE',
    (_call, request, reply) => {
      const tags = readOptionTags(request);
      if (tags.unsupported.length > 0) reply(420, 'Bad extension (unsupported)', undefined, unsupportedHeaders(tags.unsupported));
      else reply(481, 'Call/Transaction Does Not Exist');
    },
  ],
  [
    'INFO',
    (call, request, reply) => {
      const answer = answerInfo(request, call.leg.settings.useclientcode);
      if (answer === 'dtmf') {
        // chan_sip: DTMF for a dialog without a channel ("not a PBX call").
        reply(481, 'Call leg/transaction does not exist');
        return;
      }
      if (answer.unparsed === true) call.logger.warn({ channel: call.leg.name }, unparsedInfoWarning(request));
      reply(answer.status, answer.reason);
    },
  ],
  ['OPTIONS', (_call, _request, reply) => answerInDialogOptions(reply)],
  ['UPDATE', (_call, request, reply) => answerUpdate(request, reply)],
  // Accepted, but nobody is bridged with an ended call to pass the text on to.
  ['MESSAGE', (_call, request, reply) => void answerInDialogMessage(request, reply)],
  [
    'REFER',
    (call, request, reply) => {
      const { services, settings, name, transferContext } = call.leg;
      const refer = acceptableRefer(request, settings.allowtransfer, false, reply);
      if (refer === undefined) return;
      const context = referContext(transferContext, settings, services.general);
      reply(202, 'Accepted');
      // Nobody is left to transfer: the target's absence, else a one-legged transfer.
      const status = services.engine.dialplan.exists(context, refer.exten, 1) ? "503 Service Unavailable (can't handle one-legged xfers)" : '404 Not found';
      const notifier = { name, settings, dialog: call.dialog, logger: call.logger, sendInDialog: (notify: SipRequest) => call.sendInDialog(notify) };
      notifyReferResult(notifier, request.cseq.seq, status);
    },
  ],
  [
    'NOTIFY',
    (call, request, reply) => {
      // A refer NOTIFY has no REFER of ours left to report on.
      const answer = answerNotify(request, call.leg.peer?.settings.unsolicitedMailbox, call.leg.services.mailboxes);
      reply(answer.status, answer.reason);
    },
  ],
]);
