import { dialogId, type SipMessage } from '@tandem/sip';

/**
 * The tag of a From or To header as chan_sip reads it (Asterisk 20: gettag()): whatever
 * follows the first `;tag=` (any case) up to the next `;`, even when the header around it is
 * not a clean name-addr (sipp scenarios build To headers by pasting whole From values).
 */
export function headerTag(message: SipMessage, header: 'From' | 'To'): string | undefined {
  const value = message.headers.get(header);
  if (value === undefined) return undefined;
  const at = value.toLowerCase().indexOf(';tag=');
  if (at < 0) return undefined;
  const tag = value.slice(at + ';tag='.length).split(';')[0]?.trim() ?? '';
  return tag === '' ? undefined : tag;
}

/** The dialog id of a request we received, from its tags read as chan_sip reads them. */
export function requestDialogId(request: SipMessage): string {
  return dialogId(request.callId, headerTag(request, 'To') ?? '', headerTag(request, 'From') ?? '');
}
