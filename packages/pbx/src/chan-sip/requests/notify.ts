import type { MessageSource } from '@tandem/sip';
import type { ChanSip } from '../chan-sip.js';
import { answerNotify } from '../notify-events.js';
import type { OutOfDialogHandler } from './out-of-dialog-handler.js';

/** The `unsolicited_mailbox` of the peer a request comes from (by address), if any. */
export async function unsolicitedMailbox(sip: ChanSip, source: MessageSource | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  const peer = await sip.directory.findByAddressWithRealtime(source.remoteAddress, source.remotePort, source.transport).catch(() => undefined);
  return peer?.settings.unsolicitedMailbox;
}

/**
 * A NOTIFY outside any dialog (chan_sip handle_request_notify() on a new dialog): unsolicited
 * MWI from a peer, counted for its `unsolicited_mailbox`; see `answerNotify()`.
 */
export const handleNotify: OutOfDialogHandler = async (sip, request, transaction) => {
  const answer = answerNotify(request, await unsolicitedMailbox(sip, request.source), sip.mailboxes);
  sip.reply(transaction, answer.status, answer.reason);
};
