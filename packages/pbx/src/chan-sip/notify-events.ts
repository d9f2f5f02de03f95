import type { SipRequest } from '@tandem/sip';
import type { MailboxStates } from './mailbox-states.js';

/** The answer to a NOTIFY. */
export interface NotifyAnswer {
  readonly status: number;
  readonly reason: string;
}

/** The value of a `Name: value` line of a text body (chan_sip get_content_line()). */
function bodyLine(request: SipRequest, name: string): string | undefined {
  for (const line of request.bodyText.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name.toLowerCase()) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/**
 * What chan_sip answers to a NOTIFY (handle_request_notify()): `refer` needs a
 * `message/sipfrag` body (else 400); `message-summary` records the `Voice-Message: new/old`
 * counts of `mailbox` (the subscription's, or the sending peer's `unsolicited_mailbox`) in
 * context `SIP_Remote`, and is a `489 Bad event` without a mailbox or counts; `keep-alive` is
 * acknowledged; any other event gets 489.
 */
export function answerNotify(request: SipRequest, mailbox: string | undefined, mailboxes: MailboxStates): NotifyAnswer {
  const event = (request.headers.get('Event') ?? '').split(';')[0]?.trim() ?? '';
  switch (event) {
    case 'refer': {
      const type = request.headers.get('Content-Type') ?? '';
      if (!type.toLowerCase().startsWith('message/sipfrag') || request.bodyText.trim() === '') return { status: 400, reason: 'Bad request' };
      return { status: 200, reason: 'OK' };
    }
    case 'message-summary': {
      const counts = bodyLine(request, 'Voice-Message');
      if (mailbox === undefined || mailbox === '' || counts === undefined || counts === '') return { status: 489, reason: 'Bad event' };
      const [newText = '', oldText = ''] = (counts.split(' ')[0] ?? '').split('/');
      mailboxes.publish(`${mailbox}@SIP_Remote`, { newMessages: Number.parseInt(newText, 10) || 0, oldMessages: Number.parseInt(oldText, 10) || 0 });
      return { status: 200, reason: 'OK' };
    }
    case 'keep-alive':
      return { status: 200, reason: 'OK' };
    default:
      return { status: 489, reason: 'Bad event' };
  }
}
